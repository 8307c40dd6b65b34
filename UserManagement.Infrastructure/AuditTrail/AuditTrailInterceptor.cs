using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using UserManagement.Application.Common;

namespace UserManagement.Infrastructure.AuditTrail;

/// <summary>
/// The audit trail and domain events on every save of an <see cref="AppDbContext"/>, in this order:
/// <list type="number">
/// <item>Saving: entries are append-only (<see cref="AppendOnlyGuard"/>); the save's events become audit entries of the
/// same save (<see cref="SaveRecorder"/>); with a running bus (<see cref="IDomainEventOutbox"/>, ADR 0021) a save outside
/// a transaction gets one of its own (<see cref="SaveTransaction"/>).</item>
/// <item>Saved: without an open transaction the save has committed, so its events are published now
/// (<see cref="CommittedEvents"/>). Inside one they wait for its commit (<see cref="TransactionInterceptor"/>); with the
/// bus they are first written to its outbox in that transaction, so a rollback takes them back with the change and a
/// crash after the commit leaves them stored for the bus to deliver at restart.</item>
/// <item>Failed: the save takes its entries back; its own transaction, if any, rolls back.</item>
/// </list>
/// Only the asynchronous save runs here: <see cref="AppDbContext"/> refuses a synchronous one, which would otherwise
/// skip the trail.
/// </summary>
internal sealed class AuditTrailInterceptor(CommittedEvents committed, IDomainEventOutbox? outbox = null) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db)
        {
            db.ChangeTracker.DetectChanges();
            AppendOnlyGuard.Check(db);
            SaveRecorder.Record(db);
            await SaveTransaction.BeginIfNeededAsync(db, outbox, cancellationToken);
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not AppDbContext db)
        {
            return result;
        }

        try
        {
            await PublishOrStoreAsync(db, cancellationToken);
        }
        catch
        {
            await SaveTransaction.EndAsync(db, commit: false, CancellationToken.None);
            throw;
        }

        await SaveTransaction.EndAsync(db, commit: true, cancellationToken);
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db)
        {
            SaveRecorder.TakeBack(db);
            await SaveTransaction.EndAsync(db, commit: false, cancellationToken);
        }
    }

    private async Task PublishOrStoreAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var throughOutbox = db.AuditState.Saving?.ThroughOutbox == true;
        if (SaveRecorder.Saved(db) is { } batch)
        {
            await committed.PublishAsync([batch], cancellationToken);
        }
        else if (throughOutbox && db.AuditState.Uncommitted is [.., var waiting])
        {
            waiting.Stored = await outbox!.StoreAsync(db, waiting.Events, waiting.Context, cancellationToken);
        }
    }
}

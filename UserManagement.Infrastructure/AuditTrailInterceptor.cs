using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;

namespace UserManagement.Infrastructure;

/// <summary>
/// The one mechanism behind the audit trail and domain events, on every <see cref="AppDbContext"/>:
/// <list type="number">
/// <item>Saving: the domain events of the tracked entities (and those passed to <c>Raise</c>), in the order they
/// happened, and the security events raised become audit entries of the same save, so of the same transaction
/// (the handler's, when it opened one). Changing or deleting an entry is refused.</item>
/// <item>Saved: without an open transaction the save has committed, so the events are published now; inside one,
/// they wait for it.</item>
/// <item>Committed: the waiting events are published, in order. Rolled back, failed, or a new transaction begun
/// without a commit: they are dropped, never published. A failed save takes its entries back.</item>
/// </list>
/// Publishing logs the entries recorded from domain events (<see cref="AuditLog"/>: each one, or for bulk work a summary) and hands the events to
/// <see cref="IDomainEventPublisher"/>. A failure there is logged: the change is committed and stays so.
/// <para>
/// With a running bus (<see cref="IDomainEventOutbox"/>, ADR 0021) a save's events are also written to the bus's outbox in
/// the save's transaction, after the save succeeded and before the commit (a save outside a transaction gets one of its
/// own, committed at once); at the commit they are handed to the bus, which delivers them; a rollback takes them back
/// with the change. A crash between the commit and the delivery leaves them stored: the bus delivers them at restart.
/// </para>
/// </summary>
public sealed partial class AuditTrailInterceptor(
    IDomainEventPublisher publisher, ILogger<AuditTrailInterceptor> logger, IDomainEventOutbox? outbox = null)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (Record(eventData.Context) is { } db && ThroughOutbox(db))
        {
            db.AuditState.OwnTransaction = db.Database.BeginTransaction();
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Record(eventData.Context) is { } db && ThroughOutbox(db))
        {
            db.AuditState.OwnTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SavedAsync(eventData.Context, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await SavedAsync(eventData.Context, cancellationToken);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        TakeBack(eventData.Context);
        EndOwnTransactionAsync(eventData.Context, commit: false, CancellationToken.None).GetAwaiter().GetResult();
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TakeBack(eventData.Context);
        await EndOwnTransactionAsync(eventData.Context, commit: false, cancellationToken);
    }

    /// <summary>
    /// True when this save's events go through the outbox and the save needs a transaction of the interceptor's own to
    /// hold them (it has none). Marks the save either way.
    /// </summary>
    private bool ThroughOutbox(AppDbContext db)
    {
        if (db.AuditState.Saving is not { Events.Count: > 0 } batch || outbox is not { IsAccepting: true })
        {
            return false;
        }

        batch.ThroughOutbox = true;
        return db.Database.CurrentTransaction is null;
    }

    private async Task SavedAsync(DbContext? context, CancellationToken cancellationToken)
    {
        var throughOutbox = StateOf(context)?.Saving?.ThroughOutbox == true;
        try
        {
            if (Saved(context) is { } batch)
            {
                await PublishAsync([batch], cancellationToken);
            }
            else if (throughOutbox && context is AppDbContext db && db.AuditState.Uncommitted is [.., var waiting])
            {
                waiting.Stored = await outbox!.StoreAsync(db, waiting.Events, waiting.Context, cancellationToken);
            }
        }
        catch
        {
            await EndOwnTransactionAsync(context, commit: false, CancellationToken.None);
            throw;
        }

        await EndOwnTransactionAsync(context, commit: true, cancellationToken);
    }

    /// <summary>Commits (publishing through <see cref="TransactionCommittedAsync"/>) or rolls back the transaction begun for a save.</summary>
    private static async Task EndOwnTransactionAsync(DbContext? context, bool commit, CancellationToken cancellationToken)
    {
        if (StateOf(context) is not { OwnTransaction: { } transaction } state)
        {
            return;
        }

        state.OwnTransaction = null;
        await using (transaction)
        {
            if (commit)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        StateOf(eventData.Context)?.Uncommitted.Clear();
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        StateOf(eventData.Context)?.Uncommitted.Clear();
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (Committed(eventData.Context) is { Count: > 0 } batches)
        {
            PublishAsync(batches, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    public async Task TransactionCommittedAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Committed(eventData.Context) is { Count: > 0 } batches)
        {
            await PublishAsync(batches, cancellationToken);
        }
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        StateOf(eventData.Context)?.Uncommitted.Clear();

    public Task TransactionRolledBackAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        StateOf(eventData.Context)?.Uncommitted.Clear();
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) =>
        StateOf(eventData.Context)?.Uncommitted.Clear();

    public Task TransactionFailedAsync(
        DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        StateOf(eventData.Context)?.Uncommitted.Clear();
        return Task.CompletedTask;
    }

    private static AuditTrailState? StateOf(DbContext? context) => (context as AppDbContext)?.AuditState;

    private static AppDbContext? Record(DbContext? dbContext)
    {
        if (dbContext is not AppDbContext db)
        {
            return null;
        }

        db.ChangeTracker.DetectChanges();
        if (db.ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit entries are append-only: they cannot be changed or deleted.");
        }

        var sources = db.ChangeTracker.Entries<EventSourceEntity>()
            .Select(e => e.Entity)
            .Where(e => e.RaisedEvents.Count > 0)
            .ToList();
        var raised = sources.SelectMany(s => s.RaisedEvents)
            .Concat(db.AuditState.Raised)
            .OrderBy(r => r.Sequence)
            .Select(r => r.Event)
            .ToList();

        // Security events are recorded, not published: their handlers log them, and nothing reacts to them.
        var events = raised.Where(e => e is not SecurityEvent).ToList();
        var securityEvents = raised.OfType<SecurityEvent>().ToList();
        if (events.Count == 0 && securityEvents.Count == 0)
        {
            db.AuditState.Saving = null;
            return db;
        }

        var operation = OperationContext.Current;
        var entries = AuditTrail.EntriesFor(events, securityEvents, operation);
        db.AuditEntries.AddRange(entries);
        db.AuditState.Saving = new SaveBatch(sources, events, entries, operation);
        return db;
    }

    /// <summary>After a save: clears what it recorded, and returns it when it is committed already (no open transaction).</summary>
    private static SaveBatch? Saved(DbContext? context)
    {
        if (context is not AppDbContext db || db.AuditState.Saving is not { } batch)
        {
            return null;
        }

        db.AuditState.Saving = null;
        db.AuditState.Raised.Clear();
        foreach (var source in batch.Sources)
        {
            source.ClearDomainEvents();
        }

        if (db.Database.CurrentTransaction is null)
        {
            return batch;
        }

        db.AuditState.Uncommitted.Add(batch);
        return null;
    }

    private static List<SaveBatch>? Committed(DbContext? context)
    {
        if (StateOf(context) is not { Uncommitted.Count: > 0 } state)
        {
            return null;
        }

        var batches = state.Uncommitted.ToList();
        state.Uncommitted.Clear();
        return batches;
    }

    /// <summary>A failed save writes nothing: its entries leave the change tracker, its events stay raised.</summary>
    private static void TakeBack(DbContext? context)
    {
        if (context is not AppDbContext db || db.AuditState.Saving is not { } batch)
        {
            return;
        }

        db.AuditState.Saving = null;
        foreach (var entry in batch.Entries)
        {
            db.Entry(entry).State = EntityState.Detached;
        }
    }

    private async ValueTask PublishAsync(List<SaveBatch> batches, CancellationToken cancellationToken)
    {
        AuditLog.WriteAll(logger, [.. batches.SelectMany(b => b.Entries.Take(b.Events.Count))]);

        foreach (var batch in batches.Where(b => b.Stored is not null))
        {
            try
            {
                await batch.Stored!.DeliverAsync();
            }
            catch (Exception e)
            {
                // Stored and committed: the bus takes it up again at the next start.
                LogPublishFailed(e, batch.Events.Count, batch.Context.CorrelationId);
            }
        }

        var committed = batches.Where(b => b.Stored is null)
            .SelectMany(b => b.Events.Select(e => new CommittedEvent(e, b.Context))).ToList();
        if (committed.Count == 0)
        {
            return;
        }

        try
        {
            await publisher.PublishAsync(committed, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(e, committed.Count, batches[0].Context.CorrelationId);
        }
    }

    [LoggerMessage(EventId = 1398, Level = LogLevel.Error, Message = "Publishing {Count} committed event(s) of operation {CorrelationId} failed; the change itself is saved")]
    private partial void LogPublishFailed(Exception exception, int count, string correlationId);
}

/// <summary>What one context recorded between a save and the commit of its transaction.</summary>
internal sealed class AuditTrailState
{
    /// <summary>Events raised through <c>Raise</c> for changes made outside the change tracker, waiting for the next save.</summary>
    public List<RaisedEvent> Raised { get; } = [];

    /// <summary>The save in progress.</summary>
    public SaveBatch? Saving { get; set; }

    /// <summary>Saves made inside a transaction that has not committed yet.</summary>
    public List<SaveBatch> Uncommitted { get; } = [];

    /// <summary>The transaction begun for a save outside one, to hold its events in the outbox; committed right after it.</summary>
    public Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? OwnTransaction { get; set; }

    public void Reset()
    {
        Raised.Clear();
        Saving = null;
        Uncommitted.Clear();
        OwnTransaction = null;
    }
}

/// <summary>One save's events and entries: the first <c>Events.Count</c> entries are those of the events, in order.</summary>
internal sealed record SaveBatch(
    IReadOnlyList<EventSourceEntity> Sources, IReadOnlyList<IDomainEvent> Events, IReadOnlyList<AuditEntry> Entries, OperationContext Context)
{
    /// <summary>Its events go through the bus's outbox (ADR 0021).</summary>
    public bool ThroughOutbox { get; set; }

    /// <summary>Its events as written to the outbox in the transaction; delivered at the commit.</summary>
    public IStoredDomainEvents? Stored { get; set; }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UserManagement.Infrastructure.AuditTrail;

/// <summary>
/// The audit trail at a transaction's edges: at its commit the saves that waited for it are published, in order
/// (<see cref="CommittedEvents"/>); rolled back, failed, or a new transaction begun without a commit, they are dropped,
/// never published. A synchronous begin or commit is refused before it happens: publishing is asynchronous, and
/// blocking on it could deadlock a caller, while skipping it would lose the events of a committed change.
/// </summary>
internal sealed class TransactionInterceptor(CommittedEvents committed) : DbTransactionInterceptor
{
    public override ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db)
        {
            SaveRecorder.Forget(db);
        }

        return ValueTask.FromResult(result);
    }

    public override async Task TransactionCommittedAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db && SaveRecorder.Committed(db) is { Count: > 0 } batches)
        {
            await committed.PublishAsync(batches, cancellationToken);
        }
    }

    public override Task TransactionRolledBackAsync(
        DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Forget(eventData);

    public override Task TransactionFailedAsync(
        DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Forget(eventData);

    public override InterceptionResult<DbTransaction> TransactionStarting(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result) =>
        throw Synchronous("BeginTransactionAsync");

    public override InterceptionResult TransactionCommitting(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
        throw Synchronous("CommitAsync");

    private static Task Forget(DbContextEventData eventData)
    {
        if (eventData.Context is AppDbContext db)
        {
            SaveRecorder.Forget(db);
        }

        return Task.CompletedTask;
    }

    internal static NotSupportedException Synchronous(string instead) =>
        new($"The audit trail publishes asynchronously: use {instead}, never its synchronous form, on an AppDbContext.");
}

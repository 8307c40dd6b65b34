using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// Writes one at a time on PostgreSQL, as SQLite's <c>BEGIN IMMEDIATE</c> does (ADR 0031): every transaction begun
/// through EF Core (<c>Database.BeginTransactionAsync</c>) runs at READ COMMITTED and first takes the app's write lock,
/// a transaction-level advisory lock, waiting at most <c>Database:LockTimeout</c>, all in the round trip that begins it.
/// So a guard that reads and then writes in one transaction (the last administrator, a job's batch, a sign-in's
/// attempt count) sees every transaction that held the lock before it committed, and two cannot both pass: READ
/// COMMITTED takes its snapshot per statement, after the lock (REPEATABLE READ would take it at the lock statement,
/// before the other's commit). The lock goes with the commit or rollback. A wait past the timeout fails with SQLSTATE
/// 55P03, a database fault: the user sees <c>UnavailableError</c>, as with SQLite's busy timeout.
/// </summary>
public sealed class WriteLock(TimeSpan timeout) : DbTransactionInterceptor
{
    /// <summary>The two keys of <c>pg_advisory_xact_lock(int, int)</c>: the app's ("UM") and the write lock's. The
    /// two-int key space never meets the single-bigint locks of the message bus.</summary>
    public const int ApplicationKey = 0x554D;

    public const int WritesKey = 1;

    private readonly string _lockSql = string.Create(CultureInfo.InvariantCulture, $"""
        SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
        SET LOCAL lock_timeout = {(long)Math.Ceiling(timeout.TotalMilliseconds)};
        SELECT pg_advisory_xact_lock({ApplicationKey}, {WritesKey});
        """);

    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result,
        CancellationToken cancellationToken = default) =>
        eventData.IsolationLevel is IsolationLevel.Unspecified or IsolationLevel.ReadCommitted
            ? ValueTask.FromResult(result)
            : throw new NotSupportedException(
                $"Transactions on PostgreSQL run at READ COMMITTED behind the write lock; {eventData.IsolationLevel} was asked for.");

    public override async ValueTask<DbTransaction> TransactionStartedAsync(
        DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
    {
        // A save's own transaction (the outbox's, AuditTrail/SaveTransaction.cs, or EF Core's around a save of several
        // rows) holds one save: its row locks and Version checks order it, as they do a save with no transaction.
        if (eventData.Context is AppDbContext { InsideSave: true })
        {
            return result;
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = result;
            command.CommandText = _lockSql;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return result;
        }
        catch
        {
            // Not begun after all: nothing of it may stay open on the pooled connection.
            await result.DisposeAsync();
            throw;
        }
    }
}

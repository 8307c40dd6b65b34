using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UserManagement.Tests.Support;

/// <summary>
/// Joins every database context of a <see cref="TestApp"/> and, when armed, fails on cue: at the next commit (after
/// everything was written), or at the next command whose SQL contains a given text. Disarms itself once it fired.
/// </summary>
public sealed class FaultInjection : DbCommandInterceptor, IDbTransactionInterceptor
{
    private string? _failOnSql;
    private bool _failOnCommit;

    public void FailNextCommit() => _failOnCommit = true;

    /// <summary>Fails the next command whose SQL contains <paramref name="sql"/>, e.g. <c>INSERT INTO "AuditEntries"</c>.</summary>
    public void FailNextCommandContaining(string sql) => _failOnSql = sql;

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        FailIfCommitArmed();
        return result;
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        FailIfCommitArmed();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        FailIfSqlArmed(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        FailIfSqlArmed(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        FailIfSqlArmed(command);
        return ValueTask.FromResult(result);
    }

    private void FailIfCommitArmed()
    {
        if (_failOnCommit)
        {
            _failOnCommit = false;
            throw new InjectedFaultException("Injected failure at commit.");
        }
    }

    private void FailIfSqlArmed(DbCommand command)
    {
        if (_failOnSql is { } sql && command.CommandText.Contains(sql, StringComparison.Ordinal))
        {
            _failOnSql = null;
            throw new InjectedFaultException($"Injected failure on: {sql}");
        }
    }
}

public sealed class InjectedFaultException(string message) : Exception(message);

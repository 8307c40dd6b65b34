using Microsoft.EntityFrameworkCore;
using Npgsql;
using UserManagement.Infrastructure.PostgreSql.Audit;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// The app's database on PostgreSQL: Npgsql's unique-violation report and the audit trail's statements. Its
/// migrations (PostgreSql/Migrations) and compiled model (PostgreSql/CompiledModel) belong to this type.
/// </summary>
public sealed class PostgreSqlAppDbContext(DbContextOptions<PostgreSqlAppDbContext> options) : AppDbContext(options)
{
    /// <summary>Entries whose actor, target, changes or detail contain <paramref name="text"/>, in any case.</summary>
    public override IQueryable<long> AuditEntryIdsMatching(string text) => Database.SqlQuery<long>(PostgreSqlAuditTrailSql.Matching(text));

    protected override async Task<int> RemoveAuditEntriesInTransactionAsync(DateTime before, CancellationToken cancellationToken)
    {
        // The triggers let DELETEs through only while the transaction-local setting is on: for these deletions only.
        await Database.ExecuteSqlRawAsync(PostgreSqlAuditTrailSql.BeginPruning, cancellationToken);
        var removed = await AuditEntries.Where(e => e.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
        await Database.ExecuteSqlRawAsync(PostgreSqlAuditTrailSql.EndPruning, cancellationToken);
        return removed;
    }

    /// <summary>PostgreSQL names the violated index itself (SQLSTATE 23505, the constraint name).</summary>
    protected override string? UniqueIndexViolated(DbUpdateException error) =>
        error.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } violation
            ? violation.ConstraintName ?? string.Empty
            : null;
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Sqlite.Audit;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>
/// The app's database on SQLite: the audit trail's SQLite statements and SQLite's unique-violation report. Its
/// migrations (Sqlite/Migrations) and compiled model (Sqlite/CompiledModel) belong to this type.
/// </summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    // SQLite reports a unique violation as primary code 19 (constraint) with extended code 2067.
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;

    public override IQueryable<long> AuditEntryIdsMatching(string text) => Database.SqlQuery<long>(SqliteAuditTrailSql.Matching(text));

    protected override async Task<int> RemoveAuditEntriesInTransactionAsync(DateTime before, CancellationToken cancellationToken)
    {
        // The trigger lets these deletions through only while the cut-off is set; it must never be committed set.
        await Database.ExecuteSqlAsync(SqliteAuditTrailSql.BeginPruning(before), cancellationToken);
        var removed = await AuditEntries.Where(e => e.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
        await Database.ExecuteSqlRawAsync(SqliteAuditTrailSql.EndPruning, cancellationToken);
        return removed;
    }

    protected override string? UniqueIndexViolated(DbUpdateException error) =>
        error.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique } sqlite
            ? UniqueIndexNamed(sqlite.Message)
            : null;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // Triggers on Users keep the list's read model in step (Sqlite/Users/SqliteUserListSchema.cs), and SQLite's
        // RETURNING clause does not mix with AFTER triggers: EF Core checks affected rows another way.
        modelBuilder.Entity<User>().ToTable("Users", table => table.UseSqlReturningClause(false));
    }

    /// <summary>
    /// SQLite names the columns, not the index ("UNIQUE constraint failed: Users.NormalizedEmail"); find the
    /// unique index of the model over exactly those columns so callers see the same name on every engine.
    /// </summary>
    private string UniqueIndexNamed(string sqliteMessage)
    {
        const string Marker = "UNIQUE constraint failed: ";
        var start = sqliteMessage.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        var columns = sqliteMessage[(start + Marker.Length)..].TrimEnd('\'', '.', ' ')
            .Split(", ", StringSplitOptions.TrimEntries)
            .Select(c => c[(c.IndexOf('.', StringComparison.Ordinal) + 1)..])
            .ToHashSet(StringComparer.Ordinal);

        var index = Model.GetEntityTypes()
            .SelectMany(t => t.GetIndexes())
            .FirstOrDefault(i => i.IsUnique && i.Properties.Select(p => p.GetColumnName()).ToHashSet().SetEquals(columns));
        return index?.GetDatabaseName() ?? string.Join(",", columns);
    }
}

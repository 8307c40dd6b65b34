using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.PostgreSql.Users;

/// <summary>
/// Reads the page anchors (<see cref="PageAnchorReader"/>) of one order on PostgreSQL: each a row-value seek in the
/// order's index past the one before; a background read's snapshot is REPEATABLE READ READ ONLY; the list's version
/// is <see cref="PostgreSqlUserListSchema.ChangesTable"/>'s.
/// </summary>
public sealed class PostgreSqlPageAnchors(IDbContextFactory<AppDbContext> contexts, PageAnchorCache cache) : PageAnchorReader(contexts, cache)
{
    /// <summary>The next anchor: <see cref="PageAnchorCache.Spacing"/> rows past the one before it, sought in the order's index.</summary>
    public static string StepSql(string sortBy)
    {
        var column = PostgreSqlUserListSchema.SortColumn(sortBy);
        return $"""
            SELECT {column}, "Id" FROM {PostgreSqlUserListSchema.Table}
            WHERE ({column}, "Id") > ({PostgreSqlUserListSql.KeyValue(sortBy, "anchorKey")}, @anchorId)
            ORDER BY {column}, "Id" LIMIT 1 OFFSET {PageAnchorCache.Spacing - 1}
            """;
    }

    protected override string VersionSql => $"SELECT \"Version\" FROM {PostgreSqlUserListSchema.ChangesTable}";

    protected override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        PostgreSqlUserListSql.BeginSnapshotAsync(connection, cancellationToken);

    protected override string FirstSql(string sortBy)
    {
        var column = PostgreSqlUserListSchema.SortColumn(sortBy);
        return $"SELECT {column}, \"Id\" FROM {PostgreSqlUserListSchema.Table} ORDER BY {column}, \"Id\" LIMIT 1";
    }

    protected override string NextSql(string sortBy) => StepSql(sortBy);

    protected override void AddAnchorParameters(DbCommand command, string sortBy, PageAnchor anchor)
    {
        command.Parameters.Add(PostgreSqlUserListSql.KeyParameter("anchorKey", anchor.Key));
        command.Parameters.Add(new NpgsqlParameter("anchorId", Guid.Parse(anchor.Id)));
    }

    protected override PageAnchor Anchor(DbDataReader reader, long position) =>
        new(position, PostgreSqlUserListSql.KeyText(reader.GetValue(0)), reader.GetGuid(1).ToString());
}

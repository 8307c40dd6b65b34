using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// Reads the page anchors (<see cref="PageAnchorReader"/>) of one order on SQLite: each sought in the order's index,
/// named with INDEXED BY; a background read's snapshot is a deferred transaction; the list's version is
/// <see cref="SqliteUserListSchema.ChangesTable"/>'s.
/// </summary>
public sealed class SqlitePageAnchors(IDbContextFactory<AppDbContext> contexts, PageAnchorCache cache) : PageAnchorReader(contexts, cache)
{
    private const string Version = $"SELECT Version FROM {SqliteUserListSchema.ChangesTable}";

    /// <summary>The version of the list in the snapshot <paramref name="connection"/> reads.</summary>
    public static Task<long> VersionAsync(SqliteConnection connection, CancellationToken cancellationToken) =>
        UserListCommands.ScalarAsync(connection, Version, [], cancellationToken);

    /// <summary>The next anchor: <see cref="PageAnchorCache.Spacing"/> rows past the one before it, sought in the order's index.</summary>
    public static string StepSql(string sortBy)
    {
        var column = SqliteUserListSchema.SortColumns[sortBy];
        return $"""
            SELECT {column}, Id FROM {SqliteUserListSchema.Table} INDEXED BY {SqliteUserListSchema.SortIndex(sortBy)}
            WHERE ({column}, Id) > ($anchorKey, $anchorId)
            ORDER BY {column}, Id LIMIT 1 OFFSET {PageAnchorCache.Spacing - 1}
            """;
    }

    protected override string VersionSql => Version;

    protected override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    protected override string FirstSql(string sortBy)
    {
        var column = SqliteUserListSchema.SortColumns[sortBy];
        return $"SELECT {column}, Id FROM {SqliteUserListSchema.Table} INDEXED BY {SqliteUserListSchema.SortIndex(sortBy)} ORDER BY {column}, Id LIMIT 1";
    }

    protected override string NextSql(string sortBy) => StepSql(sortBy);

    protected override void AddAnchorParameters(DbCommand command, string sortBy, PageAnchor anchor)
    {
        command.Parameters.Add(new SqliteParameter("$anchorKey", SqliteType.Text) { Value = anchor.Key });
        command.Parameters.Add(new SqliteParameter("$anchorId", SqliteType.Text) { Value = anchor.Id });
    }

    protected override PageAnchor Anchor(DbDataReader reader, long position) => new(position, reader.GetString(0), reader.GetString(1));
}

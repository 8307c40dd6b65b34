using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// Reads the page anchors (<see cref="PageAnchorCache"/>, ADR 0022) of one order on SQLite: the first row of its
/// index, then each <see cref="PageAnchorCache.Spacing"/>th row past the one before, sought in that index; and the
/// list's version (<see cref="SqliteUserListSchema.ChangesTable"/>) a snapshot reads.
/// </summary>
public sealed class SqlitePageAnchors(IDbContextFactory<AppDbContext> contexts, PageAnchorCache cache)
{
    /// <summary>The version of the list in the snapshot <paramref name="connection"/> reads.</summary>
    public static async Task<long> VersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Version FROM {SqliteUserListSchema.ChangesTable}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken) ?? 0L, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The anchor nearest before a jump's page in this snapshot's list, so the page is sought rather than skipped to.
    /// When the order's anchors are not known for this snapshot's version, the jump skips by OFFSET (null) and they
    /// are read in the background; with <paramref name="readNow"/> they are read first, in this snapshot.
    /// </summary>
    public async Task<PageAnchor?> NearestAsync(
        SqliteConnection connection, string sortBy, bool descending, long position, long total, bool readNow, CancellationToken cancellationToken)
    {
        var version = await VersionAsync(connection, cancellationToken);
        var anchor = cache.Nearest(sortBy, descending, position, total, version);
        if (anchor is null && readNow)
        {
            await ReadAsync(connection, sortBy, cancellationToken);
            anchor = cache.Nearest(sortBy, descending, position, total, version);
        }
        else if (anchor is null)
        {
            cache.ReadInBackground(sortBy, async stopping =>
            {
                await using var db = await contexts.CreateDbContextAsync(stopping);
                await db.Database.OpenConnectionAsync(stopping);
                var connection = (SqliteConnection)db.Database.GetDbConnection();
                await using var snapshot = connection.BeginTransaction(deferred: true);
                await ReadAsync(connection, sortBy, stopping);
            });
        }

        return anchor;
    }

    /// <summary>Reads every anchor of <paramref name="sortBy"/> in the snapshot <paramref name="connection"/> reads, and keeps them.</summary>
    public async Task ReadAsync(SqliteConnection connection, string sortBy, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var version = await VersionAsync(connection, cancellationToken);
        var column = SqliteUserListSchema.SortColumns[sortBy];
        var rows = ImmutableArray.CreateBuilder<PageAnchor>();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column}, Id FROM {SqliteUserListSchema.Table} INDEXED BY {SqliteUserListSchema.SortIndex(sortBy)} ORDER BY {column}, Id LIMIT 1";
        if (await ReadAnchorAsync(command, 0, rows, cancellationToken))
        {
            command.CommandText = StepSql(sortBy);
            var anchorKey = command.Parameters.Add("$anchorKey", SqliteType.Text);
            var anchorId = command.Parameters.Add("$anchorId", SqliteType.Text);
            do
            {
                anchorKey.Value = rows[^1].Key;
                anchorId.Value = rows[^1].Id;
            }
            while (await ReadAnchorAsync(command, rows[^1].Position + PageAnchorCache.Spacing, rows, cancellationToken));
        }

        cache.Keep(sortBy, version, rows.ToImmutable(), Stopwatch.GetElapsedTime(started));
    }

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

    private static async Task<bool> ReadAnchorAsync(
        SqliteCommand command, long position, ImmutableArray<PageAnchor>.Builder rows, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return false;
        }

        rows.Add(new PageAnchor(position, reader.GetString(0), reader.GetString(1)));
        return true;
    }
}

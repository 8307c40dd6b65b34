using System.Collections.Immutable;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace UserManagement.Infrastructure.Users;

/// <summary>
/// Reads the page anchors (<see cref="PageAnchorCache"/>, ADR 0022) of one order: the first row of its index, then
/// each <see cref="PageAnchorCache.Spacing"/>th row past the one before, sought in that index; and the list's version
/// a snapshot reads. The provider's subclass (Sqlite/Users/SqlitePageAnchors.cs, PostgreSql/Users/PostgreSqlPageAnchors.cs)
/// writes the SQL and opens the snapshot a background read runs in.
/// </summary>
public abstract class PageAnchorReader(IDbContextFactory<AppDbContext> contexts, PageAnchorCache cache)
{
    /// <summary>The version of the list in the snapshot <paramref name="connection"/> reads.</summary>
    public Task<long> ListVersionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        UserListCommands.ScalarAsync(connection, VersionSql, [], cancellationToken);

    /// <summary>
    /// The anchor nearest before a jump's page in this snapshot's list, so the page is sought rather than skipped to.
    /// When the order's anchors are not known for this snapshot's version, the jump skips by OFFSET (null) and they
    /// are read in the background; with <paramref name="readNow"/> they are read first, in this snapshot.
    /// </summary>
    public async Task<PageAnchor?> NearestAsync(
        DbConnection connection, string sortBy, bool descending, long position, long total, bool readNow, CancellationToken cancellationToken)
    {
        var version = await ListVersionAsync(connection, cancellationToken);
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
                var connection = db.Database.GetDbConnection();
                await using var snapshot = await BeginSnapshotAsync(connection, stopping);
                await ReadAsync(connection, sortBy, stopping);
            });
        }

        return anchor;
    }

    /// <summary>Reads every anchor of <paramref name="sortBy"/> in the snapshot <paramref name="connection"/> reads, and keeps them.</summary>
    public async Task ReadAsync(DbConnection connection, string sortBy, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var version = await ListVersionAsync(connection, cancellationToken);
        var rows = ImmutableArray.CreateBuilder<PageAnchor>();
        await using var command = connection.CreateCommand();
        command.CommandText = FirstSql(sortBy);
        if (await ReadAnchorAsync(command, 0, rows, cancellationToken))
        {
            command.CommandText = NextSql(sortBy);
            do
            {
                command.Parameters.Clear();
                AddAnchorParameters(command, sortBy, rows[^1]);
            }
            while (await ReadAnchorAsync(command, rows[^1].Position + PageAnchorCache.Spacing, rows, cancellationToken));
        }

        cache.Keep(sortBy, version, rows.ToImmutable(), Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Reads the list's version (one row, one column).</summary>
    protected abstract string VersionSql { get; }

    /// <summary>A read-only transaction for a background read: every anchor of one order from one list.</summary>
    protected abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The first row of the order: its key and id.</summary>
    protected abstract string FirstSql(string sortBy);

    /// <summary>The next anchor: <see cref="PageAnchorCache.Spacing"/> rows past the one before it (its parameters by <see cref="AddAnchorParameters"/>).</summary>
    protected abstract string NextSql(string sortBy);

    protected abstract void AddAnchorParameters(DbCommand command, string sortBy, PageAnchor anchor);

    /// <summary>The anchor a row of <see cref="FirstSql"/> or <see cref="NextSql"/> is, at <paramref name="position"/>.</summary>
    protected abstract PageAnchor Anchor(DbDataReader reader, long position);

    private async Task<bool> ReadAnchorAsync(
        DbCommand command, long position, ImmutableArray<PageAnchor>.Builder rows, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return false;
        }

        rows.Add(Anchor(reader, position));
        return true;
    }
}

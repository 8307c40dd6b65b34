using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace UserManagement.Benchmarks.Browser;

/// <summary>What the database held for the saves the pages saw acknowledged.</summary>
public sealed record WriteCheck(int Acknowledged, int Unacknowledged, int UsersEdited, int Lost, int MissingAudit, int DuplicatedAudit)
{
    public bool Clean => Lost == 0 && MissingAudit == 0 && DuplicatedAudit == 0;
}

/// <summary>
/// The saves of the load's edit mix. Each context owns a disjoint set of seeded users (no two contexts edit the
/// same user, so a value can only be missing because it was lost), gives every save a name of its own and
/// records it once the page said "Changes saved.". After the app stops, <see cref="VerifyAsync"/> reads the
/// database with raw SQLite: each user holds the last name acknowledged for it, and each acknowledged name has
/// exactly one audit entry whose Name change set it.
/// </summary>
public sealed class WriteLedger(string database)
{
    private readonly ConcurrentQueue<(string UserId, string Name)> _acknowledged = new();
    private int _unacknowledged;

    /// <summary>Users for each context: <paramref name="perContext"/> seeded users each, none shared.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> AssignAsync(int contexts, int perContext)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        // Administrators are left alone: the load signs in as one.
        command.CommandText = "SELECT Id FROM Users WHERE Role = 'Member' ORDER BY rowid LIMIT $n";
        command.Parameters.AddWithValue("$n", contexts * perContext);
        var ids = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0).ToLowerInvariant());
            }
        }

        if (ids.Count < contexts * perContext)
        {
            throw new InvalidOperationException($"The database has {ids.Count} users to edit; the load needs {contexts * perContext}.");
        }

        return [.. Enumerable.Range(0, contexts).Select(c => (IReadOnlyList<string>)ids.GetRange(c * perContext, perContext))];
    }

    public void Acknowledged(string userId, string name) => _acknowledged.Enqueue((userId, name));

    public void Unacknowledged() => Interlocked.Increment(ref _unacknowledged);

    public async Task<WriteCheck> VerifyAsync()
    {
        var acks = _acknowledged.ToList();
        await using var connection = await OpenAsync();
        var lost = 0;
        var last = acks.GroupBy(a => a.UserId, StringComparer.Ordinal).Select(g => (UserId: g.Key, g.Last().Name)).ToList();
        foreach (var (userId, name) in last)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Name FROM Users WHERE lower(Id) = $id";
            command.Parameters.AddWithValue("$id", userId);
            if (await command.ExecuteScalarAsync() as string != name)
            {
                lost++;
            }
        }

        int missing = 0, duplicated = 0;
        foreach (var (userId, name) in acks)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT count(*) FROM AuditEntries a, json_each(a.Changes) c
                WHERE lower(a.TargetId) = $id
                  AND coalesce(json_extract(c.value, '$.Field'), json_extract(c.value, '$.field')) = 'Name'
                  AND coalesce(json_extract(c.value, '$.New'), json_extract(c.value, '$.new')) = $name
                """;
            command.Parameters.AddWithValue("$id", userId);
            command.Parameters.AddWithValue("$name", name);
            var count = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            missing += count == 0 ? 1 : 0;
            duplicated += count > 1 ? 1 : 0;
        }

        return new WriteCheck(acks.Count, _unacknowledged, last.Count, lost, missing, duplicated);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.GetFullPath(database)}");
        await connection.OpenAsync();
        return connection;
    }
}

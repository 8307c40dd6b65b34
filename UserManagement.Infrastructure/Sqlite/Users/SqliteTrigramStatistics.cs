using Microsoft.Data.Sqlite;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// For a substring search of more than <see cref="RareTrigramsAsked"/> trigrams, the <see cref="RareTrigramsAsked"/>
/// rarest of them as an FTS5 query (<c>"ABC" AND "XYZ" ...</c>), when the rarest is in at most
/// <see cref="RareTrigramLimit"/> users; otherwise null and the whole term is matched as a phrase. FTS5 reads
/// the list of every trigram of a phrase, and a long fragment of an email is full of trigrams that most users
/// have ("USE", "@EX", ".CO"); its rarest few find the same users and a handful more, which the rows' own
/// instr() conditions drop. The counts (<see cref="SqliteUserListSchema.TrigramCountsTable"/>) are an estimate, read
/// when the read model was built: a trigram new since then counts as rare, which it most likely is.
/// </summary>
public static class SqliteTrigramStatistics
{
    /// <summary>How many of a long term's trigrams a search asks the trigram index for.</summary>
    public const int RareTrigramsAsked = 4;

    /// <summary>The most users the rarest trigram of a term may be in for the search to ask for its rarest trigrams only.</summary>
    public const int RareTrigramLimit = 10_000;

    public static async Task<string?> RareTrigramsAsync(SqliteConnection connection, UserListRequest request, CancellationToken cancellationToken)
    {
        if (request.Search is not { IsPrefix: false } search)
        {
            return null;
        }

        var runes = search.Key.EnumerateRunes().Select(r => r.ToString()).ToList();
        var trigrams = Enumerable.Range(0, Math.Max(0, runes.Count - 2)).Select(i => runes[i] + runes[i + 1] + runes[i + 2]).Distinct(StringComparer.Ordinal).ToList();
        if (trigrams.Count <= RareTrigramsAsked)
        {
            return null;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Trigram, Count FROM {SqliteUserListSchema.TrigramCountsTable} WHERE Trigram IN ("
            + string.Join(", ", trigrams.Select((_, i) => $"$t{i}")) + ")";
        for (var i = 0; i < trigrams.Count; i++)
        {
            command.Parameters.AddWithValue($"$t{i}", trigrams[i]);
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var rarest = trigrams.OrderBy(t => counts.GetValueOrDefault(t)).ThenBy(t => t, StringComparer.Ordinal).Take(RareTrigramsAsked).ToList();
        return counts.GetValueOrDefault(rarest[0]) <= RareTrigramLimit
            ? string.Join(" AND ", rarest.Select(SqliteUserSearch.Quoted))
            : null;
    }
}

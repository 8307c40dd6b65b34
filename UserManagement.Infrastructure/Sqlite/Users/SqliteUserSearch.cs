using Microsoft.Data.Sqlite;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// The users list's search strategy on SQLite, and its role and status filters, as SQL with its parameters. A search
/// finds candidate rows through an index and then keeps only those that meet the exact conditions:
/// <list type="bullet">
/// <item>One or two characters (<see cref="UserSearch.IsPrefix"/>): the start of the name or the email, as two
/// ranges of the name and email sort indexes.</item>
/// <item>Three or more: anywhere in either, through the FTS5 trigram index (<see cref="SqliteUserListSchema.SearchTable"/>),
/// asked for the whole term as a phrase or, for a long term, its rarest trigrams
/// (<see cref="SqliteTrigramStatistics"/>); <c>instr()</c> on each row keeps the answer exact.</item>
/// <item>Only filters: the role and status index.</item>
/// </list>
/// </summary>
public sealed class SqliteUserSearch
{
    private readonly UserListRequest _request;

    private readonly string? _rareTrigrams;

    /// <param name="request">The request.</param>
    /// <param name="rareTrigrams">When set, what the trigram index is asked instead of the whole term as a phrase (a superset of the matches).</param>
    public SqliteUserSearch(UserListRequest request, string? rareTrigrams = null)
    {
        _request = request;
        _rareTrigrams = rareTrigrams;
        if (request.Role is { } role)
        {
            Parameters.Add(new SqliteParameter("$role", role.ToString()));
        }

        if (request.Status is { } status)
        {
            Parameters.Add(new SqliteParameter("$status", status.ToString()));
        }

        if (request.Search is { IsPrefix: true } prefix)
        {
            Parameters.Add(new SqliteParameter("$prefix", prefix.Key));
            Parameters.Add(new SqliteParameter("$prefixEnd", (object?)PrefixEnd(prefix.Key) ?? DBNull.Value));
        }
        else if (request.Search is { } search)
        {
            Parameters.Add(new SqliteParameter("$term", search.Key));
            Parameters.Add(new SqliteParameter("$phrase", rareTrigrams ?? Quoted(search.Key)));
        }
    }

    public List<SqliteParameter> Parameters { get; } = [];

    /// <summary>The conditions each row must meet: exact, whatever found the row.</summary>
    public IEnumerable<string> RowConditions()
    {
        if (_request.Role is not null)
        {
            yield return "e.Role = $role";
        }

        if (_request.Status is not null)
        {
            yield return "e.Status = $status";
        }

        if (_request.Search is { IsPrefix: true })
        {
            yield return "(instr(e.NameKey, $prefix) = 1 OR instr(e.EmailKey, $prefix) = 1)";
        }
        else if (_request.Search is not null)
        {
            yield return "(instr(e.NameKey, $term) > 0 OR instr(e.EmailKey, $term) > 0)";
        }
    }

    /// <summary>The ids (Seq) of the candidate rows, found through an index rather than a scan.</summary>
    public string MatchSource()
    {
        if (_request.Search is { IsPrefix: true } prefix)
        {
            // Two index ranges; the second leaves out rows the first already has. A bound written as a plain
            // comparison (not "$end IS NULL OR ...") is what lets the index stop at the end of the range.
            var hasEnd = PrefixEnd(prefix.Key) is not null;
            return $"""
                SELECT Seq FROM {SqliteUserListSchema.Table} INDEXED BY {SqliteUserListSchema.SortIndex(ListUsersQuery.SortByName)}
                    WHERE NameKey >= $prefix{(hasEnd ? " AND NameKey < $prefixEnd" : string.Empty)}
                UNION ALL
                SELECT Seq FROM {SqliteUserListSchema.Table} INDEXED BY {SqliteUserListSchema.SortIndex(ListUsersQuery.SortByEmail)}
                    WHERE EmailKey >= $prefix{(hasEnd ? " AND EmailKey < $prefixEnd" : string.Empty)}
                    AND instr(NameKey, $prefix) <> 1
                """;
        }

        if (_request.Search is not null)
        {
            return $"SELECT rowid AS Seq FROM {SqliteUserListSchema.SearchTable} WHERE {SqliteUserListSchema.SearchTable} MATCH $phrase";
        }

        var roles = _request.Role is null
            ? string.Join(", ", Enum.GetNames<UserRole>().Select(r => $"'{r}'"))
            : "$role";
        return $"SELECT Seq FROM {SqliteUserListSchema.Table} INDEXED BY {SqliteUserListSchema.GroupIndex} WHERE Role IN ({roles})"
            + (_request.Status is null ? string.Empty : " AND Status = $status");
    }

    /// <summary>Counts the matches of a search, up to one past <see cref="UserListPlanner.CountCap"/>.</summary>
    public string CountSql()
    {
        if (_request is { Search.IsPrefix: false, Role: null, Status: null } && _rareTrigrams is null)
        {
            // The trigram index alone answers a plain substring search: a phrase of trigrams is an exact substring.
            return $"SELECT count(*) FROM (SELECT 1 FROM ({MatchSource()}) LIMIT {UserListPlanner.CountCap + 1})";
        }

        return $"""
            SELECT count(*) FROM (
                SELECT 1 FROM ({MatchSource()}) m CROSS JOIN {SqliteUserListSchema.Table} e ON e.Seq = m.Seq
                {SqliteUserListSql.Where([.. RowConditions()])}
                LIMIT {UserListPlanner.CountCap + 1})
            """;
    }

    /// <summary>An FTS5 string: the text between double quotes, a quote in it doubled.</summary>
    public static string Quoted(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string? PrefixEnd(string prefix) => UserListCommands.PrefixEnd(prefix);
}

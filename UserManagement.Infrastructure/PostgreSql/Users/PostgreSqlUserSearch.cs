using Npgsql;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.PostgreSql.Users;

/// <summary>
/// The users list's search strategy on PostgreSQL, and its role and status filters, as SQL with its parameters: the
/// same strategies as SQLite's (<c>SqliteUserSearch</c>), so the same rows match. A search finds candidate rows
/// through an index and then keeps only those that meet the exact conditions:
/// <list type="bullet">
/// <item>One or two characters (<see cref="UserSearch.IsPrefix"/>): the start of the name or the email, as two
/// ranges of the name and email sort indexes (<c>COLLATE "C"</c>: a range is every text with the prefix).</item>
/// <item>Three or more: anywhere in either, through pg_trgm's GIN index
/// (<see cref="PostgreSqlUserListSchema.SearchIndex"/>) asked with <c>LIKE '%term%'</c>; <c>strpos()</c> on each row
/// keeps the answer exact. pg_trgm intersects the lists of the term's trigrams itself, so SQLite's rarest-trigram
/// shortcut has no counterpart here. A term with no letter or digit has no trigram for pg_trgm: it reads every row
/// (ADR 0030), and finds the same rows.</item>
/// <item>Only filters: the role and status index.</item>
/// </list>
/// </summary>
public sealed class PostgreSqlUserSearch
{
    private readonly UserListRequest _request;

    public PostgreSqlUserSearch(UserListRequest request)
    {
        _request = request;
        if (request.Role is { } role)
        {
            Parameters.Add(new NpgsqlParameter("role", role.ToString()));
        }

        if (request.Status is { } status)
        {
            Parameters.Add(new NpgsqlParameter("status", status.ToString()));
        }

        if (request.Search is { IsPrefix: true } prefix)
        {
            Parameters.Add(new NpgsqlParameter("prefix", prefix.Key));
            if (UserListCommands.PrefixEnd(prefix.Key) is { } end)
            {
                Parameters.Add(new NpgsqlParameter("prefixEnd", end));
            }
        }
        else if (request.Search is { } search)
        {
            Parameters.Add(new NpgsqlParameter("term", search.Key));
            Parameters.Add(new NpgsqlParameter("pattern", "%" + LikeEscaped(search.Key) + "%"));
        }
    }

    public List<NpgsqlParameter> Parameters { get; } = [];

    /// <summary>The conditions each row (<c>e</c>) must meet: exact, whatever found the row.</summary>
    public IEnumerable<string> RowConditions()
    {
        if (_request.Role is not null)
        {
            yield return "e.\"Role\" = @role";
        }

        if (_request.Status is not null)
        {
            yield return "e.\"Status\" = @status";
        }

        if (_request.Search is { IsPrefix: true })
        {
            yield return "(starts_with(e.\"NameKey\", @prefix) OR starts_with(e.\"EmailKey\", @prefix))";
        }
        else if (_request.Search is not null)
        {
            yield return "(strpos(e.\"NameKey\", @term) > 0 OR strpos(e.\"EmailKey\", @term) > 0)";
        }
    }

    /// <summary>The ids (<c>"Seq"</c>) of the candidate rows, found through an index rather than a scan.</summary>
    public string MatchSource()
    {
        var table = PostgreSqlUserListSchema.Table;
        if (_request.Search is { IsPrefix: true } prefix)
        {
            // Two index ranges; the second leaves out rows the first already has.
            var hasEnd = UserListCommands.PrefixEnd(prefix.Key) is not null;
            return $"""
                SELECT "Seq" FROM {table} WHERE "NameKey" >= @prefix{(hasEnd ? " AND \"NameKey\" < @prefixEnd" : string.Empty)}
                UNION ALL
                SELECT "Seq" FROM {table} WHERE "EmailKey" >= @prefix{(hasEnd ? " AND \"EmailKey\" < @prefixEnd" : string.Empty)}
                    AND NOT starts_with("NameKey", @prefix)
                """;
        }

        if (_request.Search is not null)
        {
            return $"SELECT \"Seq\" FROM {table} WHERE {PostgreSqlUserListSchema.SearchText} LIKE @pattern";
        }

        var roles = _request.Role is null
            ? string.Join(", ", Enum.GetNames<UserRole>().Select(r => $"'{r}'"))
            : "@role";
        return $"SELECT \"Seq\" FROM {table} WHERE \"Role\" IN ({roles})"
            + (_request.Status is null ? string.Empty : " AND \"Status\" = @status");
    }

    /// <summary>Counts the matches of a search, up to one past <see cref="UserListPlanner.CountCap"/>.</summary>
    public string CountSql() => $"""
        WITH m AS MATERIALIZED ({MatchSource()})
        SELECT count(*) FROM (
            SELECT 1 FROM m {PostgreSqlUserListSql.RowOf("m")}
            {UserListCommands.Where([.. RowConditions()])}
            LIMIT {UserListPlanner.CountCap + 1}) c
        """;

    /// <summary>A LIKE pattern that matches <paramref name="text"/> as it is: its <c>%</c>, <c>_</c> and <c>\</c> escaped.</summary>
    public static string LikeEscaped(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

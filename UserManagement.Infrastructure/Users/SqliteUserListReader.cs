using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Users;

/// <summary>
/// Answers the users list from its read model (<see cref="UserListSchema"/>). Each page costs a few index
/// seeks, whatever the number of users:
/// <list type="bullet">
/// <item>Totals come from the maintained counts; a search counts its matches in the trigram index, stopping at
/// <see cref="CountCap"/>.</item>
/// <item>First, next, previous and last pages seek in the sort order's index (keyset: after or before the
/// row next to the page, with the id breaking ties); the last page reads the order backwards. A jump to a
/// page number skips rows in the index (OFFSET), from whichever end is nearer.</item>
/// <item>When up to <see cref="CountCap"/> rows match a search or filter, they are fetched through the trigram
/// or filter index and sorted. When more match, a window of the sort order's index is tested row by row, which
/// finds a page after a few hundred rows when matches are spread out; when they are bunched elsewhere, every
/// match is fetched and sorted after all.</item>
/// </list>
/// Every plan is forced with INDEXED BY or CROSS JOIN, so it cannot drift with statistics; tests pin them
/// with EXPLAIN QUERY PLAN.
/// </summary>
public sealed class SqliteUserListReader(IDbContextFactory<AppDbContext> contexts, UserListPageAnchors anchors) : IUserListReader
{
    /// <summary>A search stops counting here and reports "10,000+": counting every match of a broad term costs more than the page.</summary>
    public const int CountCap = 10_000;

    /// <summary>
    /// How many rows of the sort order's index a broad search or filter looks through for its page before it
    /// fetches and sorts every match instead: enough when one row in 200 matches and the matches are spread out.
    /// </summary>
    public const int WalkWindow = 5_000;

    private const string Columns =
        "e.Id, e.Name, e.Email, e.Role, e.Status, e.CreatedAt, e.UpdatedAt, e.Version, e.LastSignInAt, e.LockedUntil";

    public async Task<Page<UserListItem>> ReadPageAsync(UserListRequest request, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        // One snapshot for the count and the rows; a deferred transaction only reads, it never blocks a writer.
        await using var snapshot = connection.BeginTransaction(deferred: true);

        var plan = await AnchorAsync(connection, await PlanAsync(connection, request, cancellationToken), anchors, readNow: false, cancellationToken);
        var page = plan.Matching == 0 ? [] : await ReadRowsAsync(connection, plan, cancellationToken);
        if (plan.Strategy == Strategy.WalkThenFetch && page.Count < request.PageSize)
        {
            // The matches are rarer or more bunched than the window allows for: fetch and sort them all.
            plan = plan with { Strategy = Strategy.FetchAndSort };
            page = await ReadRowsAsync(connection, plan, cancellationToken);
        }

        return Describe(request, plan, page);
    }

    /// <summary>
    /// The SQL for a page, without running it: what the query plan tests look at. With <paramref name="anchors"/>,
    /// a jump seeks from its anchor as the reader's does (the anchors are read first if they are not known).
    /// </summary>
    public static async Task<(string Sql, IReadOnlyList<SqliteParameter> Parameters)> ExplainAsync(
        SqliteConnection connection, UserListRequest request, bool fetchAll = false, UserListPageAnchors? anchors = null,
        CancellationToken cancellationToken = default)
    {
        var plan = await PlanAsync(connection, request, cancellationToken);
        if (anchors is not null)
        {
            plan = await AnchorAsync(connection, plan, anchors, readNow: true, cancellationToken);
        }

        if (fetchAll && plan.Strategy == Strategy.WalkThenFetch)
        {
            plan = plan with { Strategy = Strategy.FetchAndSort };
        }

        var (sql, parameters, _) = RowsCommand(plan);
        return (sql, parameters);
    }

    /// <summary>The count query a search runs, for the same tests.</summary>
    public static async Task<(string Sql, IReadOnlyList<SqliteParameter> Parameters)> CountCommandAsync(
        SqliteConnection connection, UserListRequest request, CancellationToken cancellationToken = default)
    {
        var filter = new Filter(request, await RareTrigramsAsync(connection, request, cancellationToken));
        return (filter.CountSql(), filter.Parameters);
    }

    /// <summary>
    /// For a substring search of more than <see cref="RareTrigramsAsked"/> trigrams, the <see cref="RareTrigramsAsked"/>
    /// rarest of them as an FTS5 query (<c>"ABC" AND "XYZ" ...</c>), when the rarest is in at most
    /// <see cref="RareTrigramLimit"/> users; otherwise null and the whole term is matched as a phrase. FTS5 reads
    /// the list of every trigram of a phrase, and a long fragment of an email is full of trigrams that most users
    /// have ("USE", "@EX", ".CO"); its rarest few find the same users and a handful more, which the rows' own
    /// instr() conditions drop. The counts (<see cref="UserListSchema.TrigramCountsTable"/>) are an estimate, read
    /// when the read model was built: a trigram new since then counts as rare, which it most likely is.
    /// </summary>
    private static async Task<string?> RareTrigramsAsync(SqliteConnection connection, UserListRequest request, CancellationToken cancellationToken)
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
        command.CommandText = $"SELECT Trigram, Count FROM {UserListSchema.TrigramCountsTable} WHERE Trigram IN ("
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
            ? string.Join(" AND ", rarest.Select(Filter.Quoted))
            : null;
    }

    /// <summary>How many of a long term's trigrams a search asks the trigram index for (<see cref="RareTrigramsAsync"/>).</summary>
    public const int RareTrigramsAsked = 4;

    /// <summary>The most users the rarest trigram of a term may be in for the search to ask for its rarest trigrams only.</summary>
    public const int RareTrigramLimit = 10_000;

    private static async Task<Plan> PlanAsync(SqliteConnection connection, UserListRequest request, CancellationToken cancellationToken)
    {
        var counts = await ReadCountsAsync(connection, cancellationToken);
        var filter = new Filter(request, await RareTrigramsAsync(connection, request, cancellationToken));
        long matching;
        var capped = false;
        if (request.Search is null)
        {
            matching = counts.Where(c => (request.Role is null || c.Role == request.Role.ToString())
                    && (request.Status is null || c.Status == request.Status.ToString()))
                .Sum(c => c.Count);
        }
        else
        {
            matching = await ScalarAsync(connection, filter.CountSql(), filter.Parameters, cancellationToken);
            capped = matching > CountCap;
            matching = Math.Min(matching, CountCap);
        }

        var strategy = request switch
        {
            { Search: null, Role: null, Status: null } => Strategy.SortIndex,
            { Search: null, Role: not null, Status: not null, SortBy: ListUsersQuery.SortByName } => Strategy.GroupIndex,
            _ when !capped && matching <= CountCap => Strategy.FetchAndSort,
            _ => Strategy.WalkThenFetch,
        };
        return new Plan(request, filter, strategy, matching, capped);
    }

    private static async Task<List<(string Role, string Status, long Count)>> ReadCountsAsync(
        SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Role, Status, Count FROM {UserListSchema.CountsTable}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new List<(string, string, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return counts;
    }

    private static async Task<List<Row>> ReadRowsAsync(SqliteConnection connection, Plan plan, CancellationToken cancellationToken)
    {
        var (sql, parameters, reversed) = RowsCommand(plan);
        if (sql.Length == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<Row>(plan.Request.PageSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Row(Item(reader), reader.GetString(10)));
        }

        if (reversed)
        {
            rows.Reverse();
        }

        return rows;
    }

    /// <summary>
    /// The rows query for the plan, and whether it reads the order backwards (previous and last pages, and
    /// jumps nearer the end), so its rows must be turned around.
    /// </summary>
    private static (string Sql, List<SqliteParameter> Parameters, bool Reversed) RowsCommand(Plan plan)
    {
        var request = plan.Request;
        var parameters = new List<SqliteParameter>(plan.Filter.Parameters);
        var conditions = new List<string>();
        long limit = request.PageSize;
        long offset = 0;
        bool backwards;

        if (request.Cursor is { } cursor)
        {
            // Keyset: the rows after (or before) the cursor's row in the order shown.
            backwards = cursor.Before;
            var greater = cursor.Before == request.Descending;
            conditions.Add($"({SortColumn(request)}, e.Id) {(greater ? ">" : "<")} ($cursorKey, $cursorId)");
            parameters.Add(new SqliteParameter("$cursorKey", cursor.Key));
            parameters.Add(new SqliteParameter("$cursorId", cursor.Id.ToString().ToUpperInvariant()));
        }
        else if (Locate(plan) is { } span)
        {
            (backwards, offset, limit) = span;
            if (plan.Anchor is { } anchor)
            {
                // Seek to the anchor before the page in the order read, and skip only the rows after it.
                var reading = request.Descending != backwards;
                conditions.Add($"({SortColumn(request)}, e.Id) {(reading ? "<=" : ">=")} ($anchorKey, $anchorId)");
                parameters.Add(new SqliteParameter("$anchorKey", anchor.Key));
                parameters.Add(new SqliteParameter("$anchorId", anchor.Id));
                offset -= anchor.Position;
            }
        }
        else
        {
            return (string.Empty, parameters, false);
        }

        var descending = request.Descending != backwards;
        var direction = descending ? "DESC" : "ASC";
        var order = $"ORDER BY {SortColumn(request)} {direction}, e.Id {direction} LIMIT {limit} OFFSET {offset}";
        var sql = plan.Strategy switch
        {
            Strategy.FetchAndSort => $"""
                WITH m(Seq) AS ({plan.Filter.MatchSource()})
                SELECT {Columns}, {SortColumn(request)} FROM m CROSS JOIN {UserListSchema.Table} e ON e.Seq = m.Seq
                {Where([.. plan.Filter.RowConditions(), .. conditions])}
                {order}
                """,
            Strategy.WalkThenFetch => $"""
                SELECT {Columns}, {SortColumn(request)} FROM (
                    SELECT e.Seq FROM {UserListSchema.Table} e INDEXED BY {UserListSchema.SortIndex(request.SortBy)}
                    {Where(conditions)}
                    ORDER BY {SortColumn(request)} {direction}, e.Id {direction} LIMIT {WalkWindow}) w
                CROSS JOIN {UserListSchema.Table} e ON e.Seq = w.Seq
                {Where([.. plan.Filter.RowConditions()])}
                {order}
                """,
            Strategy.GroupIndex => $"""
                SELECT {Columns}, {SortColumn(request)} FROM {UserListSchema.Table} e INDEXED BY {UserListSchema.GroupIndex}
                {Where([.. plan.Filter.RowConditions(), .. conditions])}
                {order}
                """,
            _ => $"""
                SELECT {Columns}, {SortColumn(request)} FROM {UserListSchema.Table} e INDEXED BY {UserListSchema.SortIndex(request.SortBy)}
                {Where([.. plan.Filter.RowConditions(), .. conditions])}
                {order}
                """,
        };
        return (sql, parameters, backwards);
    }

    /// <summary>
    /// Where a page without a cursor lies: whether it is read from the end of the order, how many rows come
    /// before it in the order read, and how many it holds; null when the page is past the end.
    /// </summary>
    private static (bool Backwards, long Offset, long Limit)? Locate(Plan plan)
    {
        var request = plan.Request;
        if (request.Page == 1)
        {
            return (false, 0, request.PageSize);
        }

        if (request.Offset >= plan.Matching)
        {
            return null;
        }

        if (!plan.Capped && request.Offset + request.PageSize >= plan.Matching)
        {
            // The last page: the end of the order, read backwards.
            return (true, 0, plan.Matching - request.Offset);
        }

        // A jump past the middle skips fewer rows from the end.
        return !plan.Capped && request.Offset > plan.Matching / 2
            ? (true, plan.Matching - request.Offset - request.PageSize, request.PageSize)
            : (false, request.Offset, request.PageSize);
    }

    /// <summary>
    /// For a jump in the unfiltered list, the anchor nearest before the page in the order it is read
    /// (<see cref="UserListPageAnchors"/>), so the page is sought rather than skipped to. When the order's anchors
    /// are not known for this snapshot's version, the jump skips by OFFSET and they are read in the background;
    /// with <paramref name="readNow"/> they are read first, in this snapshot.
    /// </summary>
    private static async Task<Plan> AnchorAsync(
        SqliteConnection connection, Plan plan, UserListPageAnchors anchors, bool readNow, CancellationToken cancellationToken)
    {
        if (plan is not { Strategy: Strategy.SortIndex, Request.Cursor: null } || Locate(plan) is not { Offset: >= UserListPageAnchors.Spacing } span)
        {
            return plan;
        }

        var (sortBy, descending) = (plan.Request.SortBy, plan.Request.Descending != span.Backwards);
        var version = await UserListPageAnchors.VersionAsync(connection, cancellationToken);
        var anchor = anchors.Nearest(sortBy, descending, span.Offset, plan.Matching, version);
        if (anchor is null && readNow)
        {
            await anchors.ReadAsync(connection, sortBy, cancellationToken);
            anchor = anchors.Nearest(sortBy, descending, span.Offset, plan.Matching, version);
        }
        else if (anchor is null)
        {
            anchors.ReadInBackground(sortBy);
        }

        return plan with { Anchor = anchor };
    }

    private static Page<UserListItem> Describe(UserListRequest request, Plan plan, List<Row> rows)
    {
        var total = (int)plan.Matching;
        var pages = total == 0 ? 0 : (int)Math.Ceiling(total / (double)request.PageSize);
        var page = new Page<UserListItem>([.. rows.Select(r => r.Item)], request.Page, request.PageSize, total)
        {
            IsTotalCapped = plan.Capped,
        };
        if (rows.Count == 0)
        {
            return page;
        }

        return page with
        {
            NextCursor = request.Page < pages
                ? new UserListCursor(request.Page + 1, Before: false, request.SortBy, request.Descending, rows[^1].Key, rows[^1].Item.Id).Encode()
                : null,
            PreviousCursor = request.Page > 1
                ? new UserListCursor(request.Page - 1, Before: true, request.SortBy, request.Descending, rows[0].Key, rows[0].Item.Id).Encode()
                : null,
        };
    }

    private static string SortColumn(UserListRequest request) => "e." + UserListSchema.SortColumns[request.SortBy];

    private static string Where(List<string> conditions) =>
        conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);

    private static async Task<long> ScalarAsync(
        SqliteConnection connection, string sql, IEnumerable<SqliteParameter> parameters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static UserListItem Item(DbDataReader reader) => new(
        Guid.Parse(reader.GetString(0)),
        reader.GetString(1),
        reader.GetString(2),
        Enum.Parse<UserRole>(reader.GetString(3)),
        Enum.Parse<UserStatus>(reader.GetString(4)),
        Utc(reader.GetDateTime(5)),
        Utc(reader.GetDateTime(6)),
        reader.GetInt64(7),
        reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8)),
        reader.IsDBNull(9) ? null : Utc(reader.GetDateTime(9)));

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private enum Strategy
    {
        /// <summary>Walk the sort order's index: every row is on the page (no filter).</summary>
        SortIndex,

        /// <summary>
        /// Look through a window of the sort order's index for the rows that match; when the window holds too
        /// few, fetch and sort every match.
        /// </summary>
        WalkThenFetch,

        /// <summary>Seek the role and status index, which is in name order.</summary>
        GroupIndex,

        /// <summary>Fetch the few matching rows through the search or filter index, then sort them.</summary>
        FetchAndSort,
    }

    private sealed record Plan(UserListRequest Request, Filter Filter, Strategy Strategy, long Matching, bool Capped)
    {
        /// <summary>The row a jump seeks to before skipping the rest, when the order's anchors serve it.</summary>
        public PageAnchor? Anchor { get; init; }
    }

    private sealed record Row(UserListItem Item, string Key);

    /// <summary>The search and filters of a request as SQL conditions, with their parameters.</summary>
    private sealed class Filter
    {
        private readonly UserListRequest _request;

        private readonly string? _rareTrigrams;

        /// <param name="request">The request.</param>
        /// <param name="rareTrigrams">When set, what the trigram index is asked instead of the whole term as a phrase (a superset of the matches).</param>
        public Filter(UserListRequest request, string? rareTrigrams = null)
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
                    SELECT Seq FROM {UserListSchema.Table} INDEXED BY {UserListSchema.SortIndex(ListUsersQuery.SortByName)}
                        WHERE NameKey >= $prefix{(hasEnd ? " AND NameKey < $prefixEnd" : string.Empty)}
                    UNION ALL
                    SELECT Seq FROM {UserListSchema.Table} INDEXED BY {UserListSchema.SortIndex(ListUsersQuery.SortByEmail)}
                        WHERE EmailKey >= $prefix{(hasEnd ? " AND EmailKey < $prefixEnd" : string.Empty)}
                        AND instr(NameKey, $prefix) <> 1
                    """;
            }

            if (_request.Search is not null)
            {
                return $"SELECT rowid AS Seq FROM {UserListSchema.SearchTable} WHERE {UserListSchema.SearchTable} MATCH $phrase";
            }

            var roles = _request.Role is null
                ? string.Join(", ", Enum.GetNames<UserRole>().Select(r => $"'{r}'"))
                : "$role";
            return $"SELECT Seq FROM {UserListSchema.Table} INDEXED BY {UserListSchema.GroupIndex} WHERE Role IN ({roles})"
                + (_request.Status is null ? string.Empty : " AND Status = $status");
        }

        /// <summary>Counts the matches of a search, up to one past <see cref="CountCap"/>.</summary>
        public string CountSql()
        {
            if (_request is { Search.IsPrefix: false, Role: null, Status: null } && _rareTrigrams is null)
            {
                // The trigram index alone answers a plain substring search: a phrase of trigrams is an exact substring.
                return $"SELECT count(*) FROM (SELECT 1 FROM ({MatchSource()}) LIMIT {CountCap + 1})";
            }

            return $"""
                SELECT count(*) FROM (
                    SELECT 1 FROM ({MatchSource()}) m CROSS JOIN {UserListSchema.Table} e ON e.Seq = m.Seq
                    {Where([.. RowConditions()])}
                    LIMIT {CountCap + 1})
                """;
        }

        public static string Quoted(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        /// <summary>The smallest text above every text that starts with <paramref name="prefix"/>, or null when there is none.</summary>
        private static string? PrefixEnd(string prefix)
        {
            var runes = prefix.EnumerateRunes().ToList();
            var last = runes[^1].Value + 1;
            if (last is >= 0xD800 and <= 0xDFFF)
            {
                last = 0xE000;
            }

            if (last > 0x10FFFF)
            {
                return null;
            }

            var end = new StringBuilder();
            foreach (var rune in runes.Take(runes.Count - 1))
            {
                end.Append(rune.ToString());
            }

            return end.Append(new Rune(last).ToString()).ToString();
        }
    }
}

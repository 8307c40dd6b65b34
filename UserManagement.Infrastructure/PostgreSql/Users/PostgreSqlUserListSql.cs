using System.Data;
using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.PostgreSql.Users;

/// <summary>
/// The rows query of a <see cref="UserListPlan"/> on PostgreSQL, one shape per <see cref="UserListStrategy"/>, with the
/// keyset (cursor) and anchor conditions as row-value comparisons the sort index seeks. PostgreSQL takes no index
/// hints, so each query is shaped so that one plan is sensible whatever the statistics say (ADR 0030): candidates in a
/// <c>MATERIALIZED</c> CTE fetched row by row through the primary key (<see cref="RowOf"/>), the walk window a
/// <c>LIMIT</c> subquery over the sort order. <c>PostgreSqlUserListQueryPlanTests</c> pins the plans with EXPLAIN at
/// 100,000 users.
/// </summary>
public static class PostgreSqlUserListSql
{
    /// <summary>The columns of a row, in the order <see cref="Row"/> reads them; its sort key follows.</summary>
    private const string Columns =
        "e.\"Id\", e.\"Name\", e.\"Email\", e.\"Role\", e.\"Status\", e.\"CreatedAt\", e.\"UpdatedAt\", e.\"Version\", e.\"LastSignInAt\", e.\"LockedUntil\"";

    /// <summary>The users per role and status, as the read model's triggers keep them.</summary>
    public const string CountsSql = $"SELECT \"Role\", \"Status\", \"Count\" FROM {PostgreSqlUserListSchema.CountsTable}";

    /// <summary>
    /// Joins the list row (<c>e</c>) of each candidate of <paramref name="candidates"/> by its <c>"Seq"</c>: a nested
    /// loop of primary-key lookups, never a hash or merge join over the whole table (a lateral subquery with LIMIT 1
    /// cannot be turned into one).
    /// </summary>
    public static string RowOf(string candidates) =>
        $"CROSS JOIN LATERAL (SELECT * FROM {PostgreSqlUserListSchema.Table} r WHERE r.\"Seq\" = {candidates}.\"Seq\" LIMIT 1) e";

    /// <summary>
    /// The rows query for the plan, and whether it reads the order backwards (previous and last pages, and
    /// jumps nearer the end), so its rows must be turned around. An empty query when the page is past the end.
    /// </summary>
    public static (string Sql, IReadOnlyList<NpgsqlParameter> Parameters, bool Reversed) RowsCommand(UserListPlan plan, PostgreSqlUserSearch search)
    {
        var request = plan.Request;
        var parameters = new List<NpgsqlParameter>(search.Parameters.Select(p => p.Clone()));
        if (UserListPlanner.Span(plan) is not { } span)
        {
            return (string.Empty, parameters, false);
        }

        var (backwards, limit, offset, from) = span;
        var sort = "e." + PostgreSqlUserListSchema.SortColumn(request.SortBy);
        var conditions = new List<string>();
        if (from is not null)
        {
            conditions.Add($"({sort}, e.\"Id\") {from.Comparison} ({KeyValue(request.SortBy, "fromKey")}, @fromId)");
            parameters.Add(KeyParameter("fromKey", from.Key));
            parameters.Add(new NpgsqlParameter("fromId", from.Id));
        }

        var direction = request.Descending != backwards ? "DESC" : "ASC";
        var order = $"ORDER BY {sort} {direction}, e.\"Id\" {direction}";
        var page = $"{order} LIMIT {limit} OFFSET {offset}";
        var sql = plan.Strategy switch
        {
            UserListStrategy.FetchAndSort => $"""
                WITH m AS MATERIALIZED ({search.MatchSource()})
                SELECT {Columns}, {sort} FROM m {RowOf("m")}
                {UserListCommands.Where([.. search.RowConditions(), .. conditions])}
                {page}
                """,
            UserListStrategy.WalkThenFetch => $"""
                SELECT {Columns}, {sort} FROM (
                    SELECT * FROM {PostgreSqlUserListSchema.Table} e
                    {UserListCommands.Where(conditions)}
                    {order} LIMIT {UserListPlanner.WalkWindow}) e
                {UserListCommands.Where([.. search.RowConditions()])}
                {page}
                """,
            _ => $"""
                SELECT {Columns}, {sort} FROM {PostgreSqlUserListSchema.Table} e
                {UserListCommands.Where([.. search.RowConditions(), .. conditions])}
                {page}
                """,
        };
        return (sql, parameters, backwards);
    }

    /// <summary>A row of <see cref="RowsCommand"/>'s query and its sort key as a cursor carries it.</summary>
    public static UserListRow Row(DbDataReader reader) => new(new UserListItem(
            reader.GetGuid(0),
            reader.GetString(1),
            reader.GetString(2),
            Enum.Parse<UserRole>(reader.GetString(3)),
            Enum.Parse<UserStatus>(reader.GetString(4)),
            reader.GetDateTime(5),
            reader.GetDateTime(6),
            reader.GetInt64(7),
            reader.IsDBNull(8) ? null : reader.GetDateTime(8),
            reader.IsDBNull(9) ? null : reader.GetDateTime(9)),
        KeyText(reader.GetValue(10)));

    /// <summary>A sort key as text: itself, or a timestamp in the round-trip format ("O", UTC).</summary>
    public static string KeyText(object key) => key switch
    {
        DateTime date => DateTime.SpecifyKind(date, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture),
        _ => (string)key,
    };

    /// <summary>Whether a cursor's key can be compared with the sort key's column (a timestamp sort needs a round-trip date).</summary>
    public static bool IsKeyOf(string sortBy, string key) =>
        !PostgreSqlUserListSchema.IsDateSort(sortBy) || TryParseDate(key, out _);

    /// <summary>
    /// The value a key parameter compares as: itself, or for a date sort the text cast to a timestamp in SQL. A key is
    /// sent as text: Npgsql would send <see cref="DateTime.MinValue"/> (the key of "never signed in") as -infinity.
    /// </summary>
    public static string KeyValue(string sortBy, string parameter) =>
        PostgreSqlUserListSchema.IsDateSort(sortBy) ? $"CAST(@{parameter} AS timestamptz)" : "@" + parameter;

    public static NpgsqlParameter KeyParameter(string name, string key) => new(name, NpgsqlDbType.Text) { Value = key };

    /// <summary>
    /// A read-only snapshot (REPEATABLE READ READ ONLY) on the connection itself, not through EF Core: no write lock is
    /// taken for it, and a read never waits for a writer. Within it the planner is told not to scan the list's table
    /// (<c>enable_seqscan = off</c>, this transaction only): every query here is shaped for an index, and where the
    /// statistics say most rows match (a broad search's count, a jump by OFFSET before the anchors are read) a scan
    /// would look cheaper for the whole table but reads without bound when the matches lie elsewhere (ADR 0030).
    /// </summary>
    public static async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using var settings = connection.CreateCommand();
        settings.CommandText = "SET TRANSACTION READ ONLY; SET LOCAL enable_seqscan = off";
        await settings.ExecuteNonQueryAsync(cancellationToken);
        return snapshot;
    }

    private static bool TryParseDate(string key, out DateTime date) =>
        DateTime.TryParseExact(key, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out date) && date.Kind == DateTimeKind.Utc;
}

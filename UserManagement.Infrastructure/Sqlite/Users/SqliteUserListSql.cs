using Microsoft.Data.Sqlite;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// The rows query of a <see cref="UserListPlan"/> on SQLite, one shape per <see cref="UserListStrategy"/>, with the
/// keyset (cursor) and anchor conditions. Every plan is forced with INDEXED BY or CROSS JOIN, so it cannot drift
/// with statistics; <c>UserListQueryPlanTests</c> pins them with EXPLAIN QUERY PLAN.
/// </summary>
public static class SqliteUserListSql
{
    /// <summary>The columns of a row, in the order <c>SqliteUserListReader</c> reads them; its sort key follows.</summary>
    private const string Columns =
        "e.Id, e.Name, e.Email, e.Role, e.Status, e.CreatedAt, e.UpdatedAt, e.Version, e.LastSignInAt, e.LockedUntil";

    /// <summary>
    /// The rows query for the plan, and whether it reads the order backwards (previous and last pages, and
    /// jumps nearer the end), so its rows must be turned around. An empty query when the page is past the end.
    /// </summary>
    public static (string Sql, IReadOnlyList<SqliteParameter> Parameters, bool Reversed) RowsCommand(UserListPlan plan, SqliteUserSearch search)
    {
        var request = plan.Request;
        var parameters = new List<SqliteParameter>(search.Parameters);
        if (UserListPlanner.Span(plan) is not { } span)
        {
            return (string.Empty, parameters, false);
        }

        var (backwards, limit, offset, from) = span;
        var conditions = new List<string>();
        if (from is not null)
        {
            var name = from.IsAnchor ? "anchor" : "cursor";
            conditions.Add($"({SortColumn(request)}, e.Id) {from.Comparison} (${name}Key, ${name}Id)");
            parameters.Add(new SqliteParameter($"${name}Key", from.Key));
            parameters.Add(new SqliteParameter($"${name}Id", from.Id.ToString().ToUpperInvariant()));
        }

        var descending = request.Descending != backwards;
        var direction = descending ? "DESC" : "ASC";
        var order = $"ORDER BY {SortColumn(request)} {direction}, e.Id {direction} LIMIT {limit} OFFSET {offset}";
        var sql = plan.Strategy switch
        {
            UserListStrategy.FetchAndSort => $"""
                WITH m(Seq) AS ({search.MatchSource()})
                SELECT {Columns}, {SortColumn(request)} FROM m CROSS JOIN {SqliteUserListSchema.Table} e ON e.Seq = m.Seq
                {Where([.. search.RowConditions(), .. conditions])}
                {order}
                """,
            UserListStrategy.WalkThenFetch => $"""
                SELECT {Columns}, {SortColumn(request)} FROM (
                    SELECT e.Seq FROM {SqliteUserListSchema.Table} e INDEXED BY {SqliteUserListSchema.SortIndex(request.SortBy)}
                    {Where(conditions)}
                    ORDER BY {SortColumn(request)} {direction}, e.Id {direction} LIMIT {UserListPlanner.WalkWindow}) w
                CROSS JOIN {SqliteUserListSchema.Table} e ON e.Seq = w.Seq
                {Where([.. search.RowConditions()])}
                {order}
                """,
            UserListStrategy.GroupIndex => $"""
                SELECT {Columns}, {SortColumn(request)} FROM {SqliteUserListSchema.Table} e INDEXED BY {SqliteUserListSchema.GroupIndex}
                {Where([.. search.RowConditions(), .. conditions])}
                {order}
                """,
            _ => $"""
                SELECT {Columns}, {SortColumn(request)} FROM {SqliteUserListSchema.Table} e INDEXED BY {SqliteUserListSchema.SortIndex(request.SortBy)}
                {Where([.. search.RowConditions(), .. conditions])}
                {order}
                """,
        };
        return (sql, parameters, backwards);
    }

    /// <summary>The users per role and status, as the read model's triggers keep them.</summary>
    public static string CountsSql => $"SELECT Role, Status, Count FROM {SqliteUserListSchema.CountsTable}";

    public static string Where(List<string> conditions) => UserListCommands.Where(conditions);

    private static string SortColumn(UserListRequest request) => "e." + SqliteUserListSchema.SortColumns[request.SortBy];
}

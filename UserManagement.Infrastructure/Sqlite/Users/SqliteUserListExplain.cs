using Microsoft.Data.Sqlite;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// The SQL the reader would run for a request, without running it: what <c>UserListQueryPlanTests</c> pins with
/// EXPLAIN QUERY PLAN and what the benchmarks' raw baselines run.
/// </summary>
public static class SqliteUserListExplain
{
    /// <summary>The rows query of a page, as <see cref="UserListCommands.ExplainedAsync"/> plans it.</summary>
    public static async Task<(string Sql, IReadOnlyList<SqliteParameter> Parameters)> RowsAsync(
        SqliteConnection connection, UserListRequest request, bool fetchAll = false, SqlitePageAnchors? anchors = null,
        CancellationToken cancellationToken = default)
    {
        var (plan, search) = await SqliteUserListReader.PlanAsync(connection, request, cancellationToken);
        plan = await UserListCommands.ExplainedAsync(connection, plan, anchors, fetchAll, cancellationToken);
        var (sql, parameters, _) = SqliteUserListSql.RowsCommand(plan, search);
        return (sql, parameters);
    }

    /// <summary>The count query a search runs.</summary>
    public static async Task<(string Sql, IReadOnlyList<SqliteParameter> Parameters)> CountAsync(
        SqliteConnection connection, UserListRequest request, CancellationToken cancellationToken = default)
    {
        var search = new SqliteUserSearch(request, await SqliteTrigramStatistics.RareTrigramsAsync(connection, request, cancellationToken));
        return (search.CountSql(), search.Parameters);
    }
}

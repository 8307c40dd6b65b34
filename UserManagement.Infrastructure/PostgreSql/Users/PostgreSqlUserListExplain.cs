using Npgsql;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.PostgreSql.Users;

/// <summary>
/// The SQL the reader would run for a request, without running it: what <c>PostgreSqlUserListQueryPlanTests</c> pins
/// with EXPLAIN and what the benchmarks' raw baselines run.
/// </summary>
public static class PostgreSqlUserListExplain
{
    /// <summary>The rows query of a page, as <see cref="UserListCommands.ExplainedAsync"/> plans it.</summary>
    public static async Task<(string Sql, IReadOnlyList<NpgsqlParameter> Parameters)> RowsAsync(
        NpgsqlConnection connection, UserListRequest request, bool fetchAll = false, PostgreSqlPageAnchors? anchors = null,
        CancellationToken cancellationToken = default)
    {
        var (plan, search) = await PostgreSqlUserListReader.PlanRequestAsync(connection, request, cancellationToken);
        plan = await UserListCommands.ExplainedAsync(connection, plan, anchors, fetchAll, cancellationToken);
        var (sql, parameters, _) = PostgreSqlUserListSql.RowsCommand(plan, search);
        return (sql, parameters);
    }

    /// <summary>The count query a search runs.</summary>
    public static (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) Count(UserListRequest request)
    {
        var search = new PostgreSqlUserSearch(request);
        return (search.CountSql(), search.Parameters);
    }
}

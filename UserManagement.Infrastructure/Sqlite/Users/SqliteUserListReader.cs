using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// Answers the users list from its read model on SQLite (<see cref="SqliteUserListSchema"/>), in one snapshot: the
/// counts and the search's matches, the plan (<see cref="UserListPlanner"/>), the anchor of a jump
/// (<see cref="SqlitePageAnchors"/>), the page's rows (<see cref="SqliteUserListSql"/>, found through
/// <see cref="SqliteUserSearch"/>), and the page with its cursors (<see cref="UserListPaging"/>).
/// </summary>
public sealed class SqliteUserListReader(IDbContextFactory<AppDbContext> contexts, SqlitePageAnchors anchors) : IUserListReader
{
    public async Task<Page<UserListItem>> ReadPageAsync(UserListRequest request, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        // One snapshot for the count and the rows; a deferred transaction only reads, it never blocks a writer.
        await using var snapshot = connection.BeginTransaction(deferred: true);

        var (plan, search) = await PlanAsync(connection, request, cancellationToken);
        plan = await AnchorAsync(connection, plan, anchors, readNow: false, cancellationToken);
        var page = plan.Matching == 0 ? [] : await ReadRowsAsync(connection, plan, search, cancellationToken);
        if (plan.Strategy == UserListStrategy.WalkThenFetch && page.Count < request.PageSize)
        {
            // The matches are rarer or more bunched than the window allows for: fetch and sort them all.
            plan = plan with { Strategy = UserListStrategy.FetchAndSort };
            page = await ReadRowsAsync(connection, plan, search, cancellationToken);
        }

        return UserListPaging.Describe(plan, page);
    }

    internal static async Task<(UserListPlan Plan, SqliteUserSearch Search)> PlanAsync(
        SqliteConnection connection, UserListRequest request, CancellationToken cancellationToken)
    {
        var counts = await ReadCountsAsync(connection, cancellationToken);
        var search = new SqliteUserSearch(request, await SqliteTrigramStatistics.RareTrigramsAsync(connection, request, cancellationToken));
        long? matches = request.Search is null ? null : await ScalarAsync(connection, search.CountSql(), search.Parameters, cancellationToken);
        return (UserListPlanner.Plan(request, counts, matches), search);
    }

    internal static async Task<UserListPlan> AnchorAsync(
        SqliteConnection connection, UserListPlan plan, SqlitePageAnchors anchors, bool readNow, CancellationToken cancellationToken)
    {
        if (UserListPlanner.AnchoredJump(plan) is not { } jump)
        {
            return plan;
        }

        var anchor = await anchors.NearestAsync(
            connection, plan.Request.SortBy, jump.Descending, jump.Offset, plan.Matching, readNow, cancellationToken);
        return plan with { Anchor = anchor };
    }

    private static async Task<List<RoleStatusCount>> ReadCountsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteUserListSql.CountsSql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new List<RoleStatusCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new RoleStatusCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return counts;
    }

    private static async Task<List<UserListRow>> ReadRowsAsync(
        SqliteConnection connection, UserListPlan plan, SqliteUserSearch search, CancellationToken cancellationToken)
    {
        var (sql, parameters, reversed) = SqliteUserListSql.RowsCommand(plan, search);
        if (sql.Length == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<UserListRow>(plan.Request.PageSize);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UserListRow(Item(reader), reader.GetString(10)));
        }

        if (reversed)
        {
            rows.Reverse();
        }

        return rows;
    }

    private static UserListItem Item(SqliteDataReader reader) => new(
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

    private static async Task<long> ScalarAsync(
        SqliteConnection connection, string sql, IEnumerable<SqliteParameter> parameters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters.ToArray());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}

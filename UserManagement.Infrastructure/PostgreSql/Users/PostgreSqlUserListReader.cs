using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.PostgreSql.Users;

/// <summary>
/// The users list on PostgreSQL (<see cref="UserListReader{TSearch}"/> does the reading): the snapshot is REPEATABLE
/// READ READ ONLY, the rows come from <see cref="PostgreSqlUserListSql"/>, found through <see cref="PostgreSqlUserSearch"/>.
/// </summary>
public sealed class PostgreSqlUserListReader(IDbContextFactory<AppDbContext> contexts, PostgreSqlPageAnchors anchors)
    : UserListReader<PostgreSqlUserSearch>(contexts, anchors)
{
    internal static async Task<(UserListPlan Plan, PostgreSqlUserSearch Search)> PlanRequestAsync(
        DbConnection connection, UserListRequest request, CancellationToken cancellationToken)
    {
        if (request.Cursor is { } cursor && !PostgreSqlUserListSql.IsKeyOf(request.SortBy, cursor.Key))
        {
            // Not a key of ours (a timestamp sort's keys are round-trip dates): find the page by its number.
            request = request with { Cursor = null };
        }

        var search = new PostgreSqlUserSearch(request);
        var plan = await UserListCommands.PlanAsync(
            connection, request, PostgreSqlUserListSql.CountsSql, (search.CountSql(), search.Parameters), cancellationToken);
        return (plan, search);
    }

    protected override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        PostgreSqlUserListSql.BeginSnapshotAsync(connection, cancellationToken);

    protected override Task<(UserListPlan Plan, PostgreSqlUserSearch Search)> PlanAsync(
        DbConnection connection, UserListRequest request, CancellationToken cancellationToken) =>
        PlanRequestAsync(connection, request, cancellationToken);

    protected override Task<List<UserListRow>> ReadRowsAsync(
        DbConnection connection, UserListPlan plan, PostgreSqlUserSearch search, CancellationToken cancellationToken) =>
        UserListCommands.ReadRowsAsync(
            connection, PostgreSqlUserListSql.RowsCommand(plan, search), plan.Request.PageSize, PostgreSqlUserListSql.Row, cancellationToken);
}

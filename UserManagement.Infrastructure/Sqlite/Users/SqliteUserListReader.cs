using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// The users list on SQLite (<see cref="UserListReader{TSearch}"/> does the reading): the snapshot is a deferred
/// transaction, the rows come from <see cref="SqliteUserListSql"/>, found through <see cref="SqliteUserSearch"/>.
/// </summary>
public sealed class SqliteUserListReader(IDbContextFactory<AppDbContext> contexts, SqlitePageAnchors anchors)
    : UserListReader<SqliteUserSearch>(contexts, anchors)
{
    internal static async Task<(UserListPlan Plan, SqliteUserSearch Search)> PlanAsync(
        SqliteConnection connection, UserListRequest request, CancellationToken cancellationToken)
    {
        var search = new SqliteUserSearch(request, await SqliteTrigramStatistics.RareTrigramsAsync(connection, request, cancellationToken));
        var plan = await UserListCommands.PlanAsync(
            connection, request, SqliteUserListSql.CountsSql, (search.CountSql(), search.Parameters), cancellationToken);
        return (plan, search);
    }

    // A deferred transaction only reads: it never blocks a writer.
    protected override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    protected override Task<(UserListPlan Plan, SqliteUserSearch Search)> PlanAsync(
        DbConnection connection, UserListRequest request, CancellationToken cancellationToken) =>
        PlanAsync((SqliteConnection)connection, request, cancellationToken);

    protected override Task<List<UserListRow>> ReadRowsAsync(
        DbConnection connection, UserListPlan plan, SqliteUserSearch search, CancellationToken cancellationToken) =>
        UserListCommands.ReadRowsAsync(connection, SqliteUserListSql.RowsCommand(plan, search), plan.Request.PageSize, Row, cancellationToken);

    private static UserListRow Row(DbDataReader reader) => new(new UserListItem(
            Guid.Parse(reader.GetString(0)),
            reader.GetString(1),
            reader.GetString(2),
            Enum.Parse<UserRole>(reader.GetString(3)),
            Enum.Parse<UserStatus>(reader.GetString(4)),
            Utc(reader.GetDateTime(5)),
            Utc(reader.GetDateTime(6)),
            reader.GetInt64(7),
            reader.IsDBNull(8) ? null : Utc(reader.GetDateTime(8)),
            reader.IsDBNull(9) ? null : Utc(reader.GetDateTime(9))),
        reader.GetString(10));

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);
}

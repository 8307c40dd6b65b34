using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Users;

/// <summary>
/// Answers the users list from its read model, the same way on every database, in one snapshot: the counts and the
/// search's matches, the plan (<see cref="UserListPlanner"/>), the anchor of a jump (<see cref="PageAnchorReader"/>),
/// the page's rows, and the page with its cursors (<see cref="UserListPaging"/>). The provider's subclass
/// (Sqlite/Users/SqliteUserListReader.cs, PostgreSql/Users/PostgreSqlUserListReader.cs) opens the snapshot and
/// writes the SQL; <typeparamref name="TSearch"/> is what its search and filters turn into.
/// </summary>
public abstract class UserListReader<TSearch>(IDbContextFactory<AppDbContext> contexts, PageAnchorReader anchors) : IUserListReader
{
    public async Task<Page<UserListItem>> ReadPageAsync(UserListRequest request, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        // One snapshot for the count and the rows; it only reads, so it never blocks a writer.
        await using var snapshot = await BeginSnapshotAsync(connection, cancellationToken);

        var (plan, search) = await PlanAsync(connection, request, cancellationToken);
        plan = await UserListCommands.AnchorAsync(connection, plan, anchors, readNow: false, cancellationToken);
        var page = plan.Matching == 0 ? [] : await ReadRowsAsync(connection, plan, search, cancellationToken);
        if (plan.Strategy == UserListStrategy.WalkThenFetch && page.Count < request.PageSize)
        {
            // The matches are rarer or more bunched than the window allows for: fetch and sort them all.
            plan = plan with { Strategy = UserListStrategy.FetchAndSort };
            page = await ReadRowsAsync(connection, plan, search, cancellationToken);
        }

        return UserListPaging.Describe(plan, page);
    }

    /// <summary>A read-only transaction in which every read of the page sees the same list.</summary>
    protected abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The plan of <paramref name="request"/> and its search, read in the snapshot (<see cref="UserListCommands.PlanAsync"/>).</summary>
    protected abstract Task<(UserListPlan Plan, TSearch Search)> PlanAsync(
        DbConnection connection, UserListRequest request, CancellationToken cancellationToken);

    /// <summary>The page's rows in the order shown (<see cref="UserListCommands.ReadRowsAsync"/>).</summary>
    protected abstract Task<List<UserListRow>> ReadRowsAsync(
        DbConnection connection, UserListPlan plan, TSearch search, CancellationToken cancellationToken);
}

using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

/// <summary>The export's stream: every page of the list, in its order and filter, read a page at a time.</summary>
public abstract class ExportUsersTests(DatabaseProvider provider) : AppTests(provider)
{
    private async Task AddUsers(int count)
    {
        await using var db = await App.OpenDbAsync();
        for (var i = 0; i < count; i++)
        {
            db.Users.Add(User.Create($"Person {i:0000}", $"p{i:0000}@example.com", i % 3 == 0 ? UserRole.Administrator : UserRole.Member,
                App.Clock.GetUtcNow().UtcDateTime));
        }

        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    private async Task<List<UserListItem>> Export(ExportUsersQuery query)
    {
        var result = await App.Send(query);
        result.IsSuccess.ShouldBeTrue(result.ToString());
        var rows = new List<UserListItem>();
        await foreach (var row in result.Value.WithCancellation(TestContext.Current.CancellationToken))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task Should_stream_every_page_in_the_lists_order()
    {
        await AddUsers(2_345);

        var rows = await Export(new ExportUsersQuery(new UserListFilter(), ListUsersQuery.SortByEmail, Descending: true));

        rows.Count.ShouldBe(2_345, $"more than {UserListPages.PageSize} rows: several pages");
        rows.Select(r => r.Email).ShouldBe(rows.Select(r => r.Email).OrderByDescending(e => e, StringComparer.Ordinal));
        rows.Select(r => r.Id).Distinct().Count().ShouldBe(2_345);
    }

    [Fact]
    public async Task Should_stream_only_the_users_the_filter_matches()
    {
        await AddUsers(1_500);

        var rows = await Export(new ExportUsersQuery(new UserListFilter(Role: UserRole.Administrator)));
        var searched = await Export(new ExportUsersQuery(new UserListFilter(Search: "person 01")));

        rows.Count.ShouldBe(500);
        rows.ShouldAllBe(r => r.Role == UserRole.Administrator);
        rows.Select(r => r.Name).ShouldBe(rows.Select(r => r.Name).Order(StringComparer.Ordinal));
        searched.Count.ShouldBe(100);
    }

    [Fact]
    public async Task Should_refuse_an_unknown_sort_key()
    {
        (await App.Send(new ExportUsersQuery(new UserListFilter(), "password"))).Error.ShouldBeOfType<Application.Common.ValidationError>();
    }

    public sealed class OnSqlite() : ExportUsersTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ExportUsersTests(DatabaseProvider.PostgreSQL);
}

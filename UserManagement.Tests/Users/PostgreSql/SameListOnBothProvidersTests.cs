using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Users;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.Users.PostgreSql;

/// <summary>
/// The users list gives the same answers on PostgreSQL as on SQLite: one set of users written into a database of each,
/// then every sort in both directions, every filter, searches of every kind, paging forwards, backwards and by jumps
/// (by OFFSET, then from page anchors) and the counts, each asked of both through the real ListUsers query.
/// </summary>
public sealed class SameListOnBothProvidersTests(SameListOnBothProvidersTests.Sides sides) : IClassFixture<SameListOnBothProvidersTests.Sides>
{
    private const int PageSize = 25;

    /// <summary>Both databases with the same users, made once for the class (on first use, so a run without PostgreSQL skips).</summary>
    public sealed class Sides(PostgreSqlServer server) : IAsyncDisposable
    {
        private readonly SemaphoreSlim _starting = new(1, 1);
        private (ListSide Sqlite, ListSide PostgreSql)? _sides;

        public async Task<(ListSide Sqlite, ListSide PostgreSql)> GetAsync()
        {
            await _starting.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                if (_sides is null)
                {
                    var postgreSql = await ListSide.PostgreSqlAsync(server);
                    var sqlite = await ListSide.SqliteAsync();
                    var users = ListData.Varied(2_600);
                    await sqlite.InsertAsync(users);
                    await postgreSql.InsertAsync(users);
                    _sides = (sqlite, postgreSql);
                }

                return _sides.Value;
            }
            finally
            {
                _starting.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_sides is { } both)
            {
                await both.Sqlite.DisposeAsync();
                await both.PostgreSql.DisposeAsync();
            }

            _starting.Dispose();
        }
    }

    public static TheoryData<string> SortKeys => [.. ListUsersQuery.SortKeys];

    [Theory]
    [MemberData(nameof(SortKeys))]
    public async Task Should_give_the_same_pages_by_number_cursor_and_jump_in_every_order_when_both_hold_the_same_users(string sortBy)
    {
        var (sqlite, postgreSql) = await sides.GetAsync();

        foreach (var descending in new[] { false, true })
        {
            var query = new ListUsersQuery(SortBy: sortBy, Descending: descending);
            await ShouldPageAlikeAsync(sqlite, postgreSql, query, $"{sortBy} {(descending ? "descending" : "ascending")}");
        }
    }

    [Theory]
    [InlineData("Administrator", null, "name")]
    [InlineData("Administrator", "Disabled", "name")]
    [InlineData("Member", "Active", "name")]
    [InlineData("Member", null, "createdAt")]
    [InlineData(null, "Disabled", "email")]
    [InlineData(null, "Active", "lastSignInAt")]
    [InlineData("Administrator", "Active", "updatedAt")]
    [InlineData(null, "Disabled", "role")]
    public async Task Should_give_the_same_pages_and_counts_when_the_list_is_filtered(string? role, string? status, string sortBy)
    {
        var (sqlite, postgreSql) = await sides.GetAsync();
        var roleFilter = role is null ? (UserRole?)null : Enum.Parse<UserRole>(role);
        var statusFilter = status is null ? (UserStatus?)null : Enum.Parse<UserStatus>(status);

        foreach (var descending in new[] { false, true })
        {
            var query = new ListUsersQuery(Role: roleFilter, Status: statusFilter, SortBy: sortBy, Descending: descending);
            await ShouldPageAlikeAsync(sqlite, postgreSql, query, $"{role}/{status} by {sortBy} {(descending ? "descending" : "ascending")}");
        }
    }

    [Theory]
    [InlineData("smith", "a common term")]
    [InlineData("ada", "a common term, three letters")]
    [InlineData("u1234@", "a rare email fragment")]
    [InlineData("@example.co", "an email fragment every user has")]
    [InlineData("zzqxjw", "a term nobody has")]
    [InlineData("élodie", "non-ASCII, folded")]
    [InlineData("ŌTSUKA", "non-ASCII, upper case")]
    [InlineData("山田 太", "CJK and a space")]
    [InlineData("李小龙", "CJK, three characters")]
    [InlineData("山田", "CJK, two characters: a prefix")]
    [InlineData("a", "one letter: a prefix")]
    [InlineData("zo", "two letters: a prefix")]
    [InlineData("é", "one non-ASCII letter: a prefix")]
    [InlineData("0%", "a LIKE wildcard in a prefix")]
    [InlineData("0% s", "a LIKE wildcard in a substring")]
    [InlineData("e_t", "a LIKE single-character wildcard that must not match any character")]
    [InlineData("...", "punctuation only")]
    [InlineData("@-.", "punctuation only, from an email")]
    [InlineData("o'b", "an apostrophe")]
    [InlineData("\"x", "a double quote, which FTS5 needs doubled")]
    public async Task Should_find_the_same_users_in_the_same_order_when_searching(string search, string kind)
    {
        var (sqlite, postgreSql) = await sides.GetAsync();

        foreach (var sortBy in new[] { "name", "email", "createdAt", "lastSignInAt" })
        {
            foreach (var descending in new[] { false, true })
            {
                var query = new ListUsersQuery(Search: search, SortBy: sortBy, Descending: descending);
                await ShouldPageAlikeAsync(sqlite, postgreSql, query, $"'{search}' ({kind}) by {sortBy} {(descending ? "descending" : "ascending")}");
            }
        }

        await ShouldPageAlikeAsync(sqlite, postgreSql, new ListUsersQuery(Search: search, Role: UserRole.Administrator), $"'{search}' ({kind}), administrators");
    }

    [Fact]
    public async Task Should_cap_the_count_of_a_broad_search_alike_and_page_it_in_the_same_order()
    {
        await using var sqlite = await ListSide.SqliteAsync();
        await using var postgreSql = await ListSide.PostgreSqlAsync((await TestContext.Current.GetFixture<PostgreSqlServer>())!);
        // 10,050 users match "common"; 6,000 more, last in name order, do not: a descending page looks past them.
        var users = ListData.Broad();
        await sqlite.InsertAsync(users);
        await postgreSql.InsertAsync(users);

        foreach (var query in new[]
        {
            new ListUsersQuery(Search: "common"),
            new ListUsersQuery(Search: "common", Descending: true),
            new ListUsersQuery(Search: "common", SortBy: "createdAt", Descending: true),
            new ListUsersQuery(Search: "common", Role: UserRole.Administrator, SortBy: "email", Descending: true),
            new ListUsersQuery(Role: UserRole.Member, SortBy: "updatedAt"),
        })
        {
            var first = await ShouldPageAlikeAsync(sqlite, postgreSql, query, query.ToString());
            if (query.Role is null)
            {
                first.TotalCount.ShouldBe(UserListPlanner.CountCap, query.ToString());
                first.IsTotalCapped.ShouldBeTrue(query.ToString());
            }
        }
    }

    /// <summary>
    /// Asks both sides for the first page, two pages on by cursor and back again, a jump by number (once by OFFSET, then
    /// from the anchors it had read), the last page and one past the end, and checks each answer is the same.
    /// </summary>
    private static async Task<Page<UserListItem>> ShouldPageAlikeAsync(ListSide sqlite, ListSide postgreSql, ListUsersQuery query, string what)
    {
        var current = await BothAsync(query, query, "first page");
        var first = current.Sqlite;
        for (var i = 0; i < 2 && current.Sqlite.NextCursor is not null; i++)
        {
            current = await BothAsync(
                query with { Page = current.Sqlite.PageNumber + 1, Cursor = current.Sqlite.NextCursor },
                query with { Page = current.PostgreSql.PageNumber + 1, Cursor = current.PostgreSql.NextCursor },
                $"next page {current.Sqlite.PageNumber + 1}");
        }

        while (current.Sqlite.PreviousCursor is not null)
        {
            current = await BothAsync(
                query with { Page = current.Sqlite.PageNumber - 1, Cursor = current.Sqlite.PreviousCursor },
                query with { Page = current.PostgreSql.PageNumber - 1, Cursor = current.PostgreSql.PreviousCursor },
                $"previous page {current.Sqlite.PageNumber - 1}");
        }

        var pages = first.TotalPages;
        foreach (var page in new[] { pages / 3, (pages * 2 / 3) + 1, pages, pages + 1 }.Where(p => p > 1).Distinct())
        {
            await BothAsync(query with { Page = page }, query with { Page = page }, $"page {page} of {pages}");
            await sqlite.Get<PageAnchorCache>().WhenIdleAsync();
            await postgreSql.Get<PageAnchorCache>().WhenIdleAsync();
            await BothAsync(query with { Page = page }, query with { Page = page }, $"page {page} of {pages}, again once the anchors are read");
        }

        return first;

        async Task<(Page<UserListItem> Sqlite, Page<UserListItem> PostgreSql)> BothAsync(ListUsersQuery onSqlite, ListUsersQuery onPostgreSql, string step)
        {
            var expected = await sqlite.ListAsync(onSqlite);
            var actual = await postgreSql.ListAsync(onPostgreSql);
            var context = $"{what}, {step}";
            actual.Items.ShouldBe(expected.Items, context);
            actual.TotalCount.ShouldBe(expected.TotalCount, context);
            actual.IsTotalCapped.ShouldBe(expected.IsTotalCapped, context);
            actual.PageNumber.ShouldBe(expected.PageNumber, context);
            (actual.NextCursor is null).ShouldBe(expected.NextCursor is null, context);
            (actual.PreviousCursor is null).ShouldBe(expected.PreviousCursor is null, context);
            return (expected, actual);
        }
    }
}

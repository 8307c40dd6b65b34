using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

public abstract class ListUsersTests(DatabaseProvider provider) : AppTests(provider)
{
    private async Task<Page<UserListItem>> List(ListUsersQuery query) => (await App.Send(query)).ShouldSucceed();

    private async Task SeedPeople()
    {
        (string Name, string Email, UserRole Role)[] people =
        [
            ("Charlie Brown", "charlie@peanuts.example", UserRole.Member),
            ("alice Liddell", "alice@wonder.example", UserRole.Administrator),
            ("Bob Marley", "bob@music.example", UserRole.Member),
            ("Élodie Durand", "elodie@paris.example", UserRole.Member),
            ("Dave Grohl", "dave@music.example", UserRole.Administrator),
        ];
        foreach (var (name, email, role) in people)
        {
            await App.CreateUser(name, email, role);
            App.Clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public async Task Should_return_the_first_page_sorted_by_name_with_the_total_count_by_default()
    {
        await SeedPeople();

        var page = await List(new ListUsersQuery(PageSize: 2));

        page.TotalCount.ShouldBe(5);
        page.TotalPages.ShouldBe(3);
        page.PageNumber.ShouldBe(1);
        page.Items.Select(u => u.Name).ShouldBe(["alice Liddell", "Bob Marley"]);
    }

    [Fact]
    public async Task Should_return_later_pages_and_an_empty_page_past_the_end()
    {
        await SeedPeople();

        (await List(new ListUsersQuery(Page: 3, PageSize: 2))).Items.Select(u => u.Name).ShouldBe(["Élodie Durand"]);
        var past = await List(new ListUsersQuery(Page: 9, PageSize: 2));
        past.Items.ShouldBeEmpty();
        past.TotalCount.ShouldBe(5);
    }

    [Fact]
    public async Task Should_project_every_column_of_the_row()
    {
        var user = await App.CreateUser("Ada", "ada@example.com", UserRole.Administrator);

        var row = (await List(new ListUsersQuery())).Items.ShouldHaveSingleItem();

        row.ShouldBe(new UserListItem(
            user.Id, user.Name, user.Email, user.Role, user.Status, user.CreatedAt, user.UpdatedAt, user.Version));
    }

    [Theory]
    [InlineData("ALICE", "alice Liddell")]
    [InlineData("liddell", "alice Liddell")]
    [InlineData("PEANUTS", "Charlie Brown")]
    [InlineData("  bob@MUSIC ", "Bob Marley")]
    [InlineData("élodie", "Élodie Durand")]
    [InlineData("DURAND", "Élodie Durand")]
    public async Task Should_match_name_or_email_ignoring_case_when_searching(string search, string expected)
    {
        await SeedPeople();

        var page = await List(new ListUsersQuery(Search: search));

        page.Items.Select(u => u.Name).ShouldBe([expected]);
        page.TotalCount.ShouldBe(1);
    }

    [Fact]
    public async Task Should_match_every_user_whose_name_or_email_contains_the_search()
    {
        await SeedPeople();

        var page = await List(new ListUsersQuery(Search: "music"));

        page.Items.Select(u => u.Name).ShouldBe(["Bob Marley", "Dave Grohl"]);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("' OR 1=1 --")]
    public async Task Should_treat_wildcards_and_quotes_in_the_search_as_plain_text(string search)
    {
        await SeedPeople();

        (await List(new ListUsersQuery(Search: search))).TotalCount.ShouldBe(0);
    }

    [Fact]
    public async Task Should_filter_by_role_and_status_together_with_the_search()
    {
        await SeedPeople();
        var dave = (await List(new ListUsersQuery(Search: "dave"))).Items.Single();
        (await App.Send(new SetUserStatusCommand(dave.Id, UserStatus.Disabled, dave.Version))).ShouldSucceed();

        (await List(new ListUsersQuery(Role: UserRole.Administrator))).Items.Select(u => u.Name)
            .ShouldBe(["alice Liddell", "Dave Grohl"]);
        (await List(new ListUsersQuery(Status: UserStatus.Disabled))).Items.Select(u => u.Name)
            .ShouldBe(["Dave Grohl"]);
        (await List(new ListUsersQuery(Role: UserRole.Administrator, Status: UserStatus.Active))).Items.Select(u => u.Name)
            .ShouldBe(["alice Liddell"]);
        (await List(new ListUsersQuery(Search: "music", Role: UserRole.Member))).Items.Select(u => u.Name)
            .ShouldBe(["Bob Marley"]);
    }

    [Theory]
    [InlineData("name", false, new[] { "alice Liddell", "Bob Marley", "Charlie Brown", "Dave Grohl", "Élodie Durand" })]
    [InlineData("NAME", true, new[] { "Élodie Durand", "Dave Grohl", "Charlie Brown", "Bob Marley", "alice Liddell" })]
    [InlineData("email", false, new[] { "alice Liddell", "Bob Marley", "Charlie Brown", "Dave Grohl", "Élodie Durand" })]
    [InlineData("createdAt", false, new[] { "Charlie Brown", "alice Liddell", "Bob Marley", "Élodie Durand", "Dave Grohl" })]
    [InlineData("createdAt", true, new[] { "Dave Grohl", "Élodie Durand", "Bob Marley", "alice Liddell", "Charlie Brown" })]
    public async Task Should_sort_by_the_requested_key_and_direction(string sortBy, bool descending, string[] expected)
    {
        await SeedPeople();

        var page = await List(new ListUsersQuery(SortBy: sortBy, Descending: descending));

        page.Items.Select(u => u.Name).ShouldBe(expected);
    }

    [Fact]
    public async Task Should_sort_by_role_and_status_then_by_id_as_the_tie_breaker()
    {
        await SeedPeople();
        var bob = (await List(new ListUsersQuery(Search: "bob"))).Items.Single();
        (await App.Send(new SetUserStatusCommand(bob.Id, UserStatus.Disabled, bob.Version))).ShouldSucceed();

        var byRole = (await List(new ListUsersQuery(SortBy: "role"))).Items;
        byRole.Select(u => u.Role).ShouldBe([UserRole.Administrator, UserRole.Administrator, UserRole.Member, UserRole.Member, UserRole.Member]);
        byRole.Where(u => u.Role == UserRole.Member).Select(u => u.Id).ShouldBeInOrder(SortDirection.Ascending);

        var byStatusDescending = (await List(new ListUsersQuery(SortBy: "status", Descending: true))).Items;
        byStatusDescending[0].Name.ShouldBe("Bob Marley");
        byStatusDescending.Skip(1).Select(u => u.Id).ShouldBeInOrder(SortDirection.Descending);
    }

    [Fact]
    public async Task Should_sort_by_updated_at()
    {
        await SeedPeople();
        var charlie = (await List(new ListUsersQuery(Search: "charlie"))).Items.Single();
        App.Clock.Advance(TimeSpan.FromHours(1));
        (await App.Send(new UpdateUserCommand(charlie.Id, "Charles Brown", charlie.Email, UserRole.Member, charlie.Version)))
            .ShouldSucceed();

        var newestFirst = await List(new ListUsersQuery(SortBy: "updatedAt", Descending: true));
        var oldestFirst = await List(new ListUsersQuery(SortBy: "updatedAt"));

        newestFirst.Items[0].Name.ShouldBe("Charles Brown");
        oldestFirst.Items.Select(u => u.Name).ShouldBe(["alice Liddell", "Bob Marley", "Élodie Durand", "Dave Grohl", "Charles Brown"]);
    }

    [Fact]
    public async Task Should_keep_a_stable_order_across_pages_when_sort_keys_are_equal()
    {
        for (var i = 0; i < 7; i++)
        {
            await App.CreateUser("Same Name", $"same{i}@example.com");
        }

        var pages = new List<UserListItem>();
        for (var page = 1; page <= 3; page++)
        {
            pages.AddRange((await List(new ListUsersQuery(SortBy: "name", Page: page, PageSize: 3))).Items);
        }

        pages.Count.ShouldBe(7);
        pages.Select(u => u.Id).Distinct().Count().ShouldBe(7);
        pages.Select(u => u.Id).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Theory]
    [InlineData("password", "Sort by one of: name, email, role, status, createdAt, updatedAt, lastSignInAt.")]
    [InlineData("Name; DROP TABLE Users", "Sort by one of: name, email, role, status, createdAt, updatedAt, lastSignInAt.")]
    public async Task Should_refuse_on_sort_by_when_the_key_is_unknown(string sortBy, string message)
    {
        (await App.Send(new ListUsersQuery(SortBy: sortBy)))
            .ShouldFailOnField(nameof(ListUsersQuery.SortBy))
            .ShouldBe([message]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public async Task Should_refuse_on_page_when_the_page_is_below_one(int page)
    {
        (await App.Send(new ListUsersQuery(Page: page)))
            .ShouldFailOnField(nameof(ListUsersQuery.Page))
            .ShouldBe(["Page must be 1 or more."]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(101)]
    [InlineData(int.MaxValue)]
    public async Task Should_refuse_on_page_size_when_it_is_outside_one_to_one_hundred(int pageSize)
    {
        (await App.Send(new ListUsersQuery(PageSize: pageSize)))
            .ShouldFailOnField(nameof(ListUsersQuery.PageSize))
            .ShouldBe(["Page size must be between 1 and 100."]);
    }

    [Fact]
    public async Task Should_refuse_on_search_when_it_is_longer_than_200_characters()
    {
        (await App.Send(new ListUsersQuery(Search: new string('x', 10_000))))
            .ShouldFailOnField(nameof(ListUsersQuery.Search))
            .ShouldBe(["Search must be at most 200 characters."]);
    }

    [Theory]
    [InlineData("nul\u0000in the middle")]
    [InlineData("bell\u0007")]
    [InlineData("\u202Eevil")]
    public async Task Should_refuse_on_search_when_it_holds_a_control_character_that_no_name_or_email_can_hold(string search)
    {
        (await App.Send(new ListUsersQuery(Search: search, SortBy: "createdAt", Page: 37, PageSize: 29)))
            .ShouldFailOnField(nameof(ListUsersQuery.Search))
            .ShouldBe(["Search cannot contain control characters or text-direction overrides."]);
    }

    [Fact]
    public async Task Should_refuse_unknown_role_and_status_filters()
    {
        var error = (await App.Send(new ListUsersQuery(Role: (UserRole)5, Status: (UserStatus)5)))
            .ShouldFailWith<ValidationError, Page<UserListItem>>();

        error.Fields.Keys.Order().ShouldBe(["Role", "Status"]);
    }

    [Fact]
    public async Task Should_return_an_empty_page_when_there_are_no_users()
    {
        var page = await List(new ListUsersQuery());

        page.Items.ShouldBeEmpty();
        page.TotalCount.ShouldBe(0);
        page.TotalPages.ShouldBe(0);
    }

    public sealed class OnSqlite() : ListUsersTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ListUsersTests(DatabaseProvider.PostgreSQL);
}

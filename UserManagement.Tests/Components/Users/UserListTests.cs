using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Shared;
using UserManagement.Web.Live;

namespace UserManagement.Tests.Components.Users;

public sealed class UserListTests : ComponentTestContext
{
    private static IElement Header(IRenderedComponent<TestRouter> cut, string title) =>
        cut.FindAll("th").Single(th => th.TextContent.Trim().StartsWith(title, StringComparison.Ordinal));

    private async Task SeedAsync()
    {
        await App.CreateUser("Ada Lovelace", "ada@example.com", UserRole.Administrator);
        await App.CreateUser("Grace Hopper", "grace@example.com");
        await App.CreateUser("Alan Turing", "alan@example.com");
    }

    [Fact]
    public async Task Should_render_a_row_per_user_of_the_query_result_with_the_total()
    {
        await SeedAsync();

        var cut = Open("/users");

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));
        cut.GridRows().Select(r => r.QuerySelector("td:nth-child(2)")!.TextContent.Trim()).ShouldBe(["Ada Lovelace", "Alan Turing", "Grace Hopper"]);
        cut.GridRows()[0].TextContent.ShouldContain("ada@example.com");
        cut.GridRows()[0].TextContent.ShouldContain("Administrator");
        cut.GridRows()[0].TextContent.ShouldContain("2026-01-15");
        cut.GridRows()[0].QuerySelector("span[title='2026-01-15 09:30 UTC']").ShouldNotBeNull();
        cut.Find("[data-testid=total-count]").TextContent.Trim().ShouldBe("3 users");
        Sender.SentOf<ListUsersQuery>().ShouldHaveSingleItem().ShouldBe(new ListUsersQuery(SortBy: "name", PageSize: 25));
    }

    [Fact]
    public async Task Should_render_a_table_with_column_headers()
    {
        await SeedAsync();

        var cut = Open("/users");

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));
        cut.Find("table").GetAttribute("aria-label").ShouldBe("Users");
        cut.FindAll("thead th").Select(th => th.TextContent.Trim())
            .ShouldBe(["", "Name", "Email", "Role", "Status", "Created", "Updated", "Last sign-in", "Actions"], "the first column ticks rows for a bulk action");
    }

    [Fact]
    public async Task Should_send_the_search_once_typing_pauses_and_put_it_in_the_url()
    {
        await SeedAsync();
        var cut = Open("/users");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));

        await cut.Do(c => c.Find("input[placeholder='Name or email']").Input("ada"));
        Sender.SentOf<ListUsersQuery>().Count().ShouldBe(1);
        WaitUntil(cut, 300, () => cut.GridRows().Count.ShouldBe(1));
        Sender.SentOf<ListUsersQuery>().Last().ShouldBe(new ListUsersQuery(Search: "ada", SortBy: "name", PageSize: 25));
        Navigation.Uri.ShouldEndWith("/users?search=ada");
        cut.GridRows()[0].TextContent.ShouldContain("Ada Lovelace");
    }

    [Fact]
    public async Task Should_keep_the_typed_search_when_a_filter_is_picked_before_the_search_applied()
    {
        await SeedAsync();
        var cut = Open("/users");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));

        await cut.Do(c => c.Find("input[placeholder='Name or email']").Input("a"));
        await cut.Do(c => c.Find("div[role=combobox][aria-label=Role]").Closest(".mud-input-control")!.MouseDown());
        cut.WaitForAssertion(() => cut.FindAll(".mud-popover-open .mud-list-item").Count.ShouldBe(3));
        await cut.Do(c => c.FindAll(".mud-popover-open .mud-list-item").Single(li => li.TextContent.Trim() == "Member").Click());

        cut.WaitForAssertion(() => Sender.SentOf<ListUsersQuery>().Last()
            .ShouldBe(new ListUsersQuery("a", UserRole.Member, SortBy: "name", PageSize: 25)));
        Navigation.Uri.ShouldEndWith("/users?search=a&role=Member");
        // One letter matches the start of a name or email: Alan Turing, not Grace Hopper.
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(1));
    }

    [Fact]
    public async Task Should_send_the_sort_of_a_clicked_header_and_reverse_it_on_a_second_click()
    {
        await SeedAsync();
        var cut = Open("/users");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));

        await cut.Do(c => Header(c, "Email").QuerySelector(".sortable-column-header")!.Click());
        cut.WaitForAssertion(() => Sender.SentOf<ListUsersQuery>().Last().ShouldBe(new ListUsersQuery(SortBy: "email", PageSize: 25)));
        Navigation.Uri.ShouldEndWith("/users?sort=email");

        await cut.Do(c => Header(c, "Email").QuerySelector(".sortable-column-header")!.Click());
        cut.WaitForAssertion(() => Sender.SentOf<ListUsersQuery>().Last().ShouldBe(new ListUsersQuery(SortBy: "email", Descending: true, PageSize: 25)));
        cut.WaitForAssertion(() => cut.GridRows()[0].TextContent.ShouldContain("Grace Hopper"));
        Navigation.Uri.ShouldEndWith("/users?sort=email&desc=true");
    }

    [Fact]
    public async Task Should_restore_search_filters_sort_and_page_size_from_the_url()
    {
        await SeedAsync();

        var cut = Open("/users?search=a&role=Member&sort=createdAt&desc=true&size=10");

        // One letter matches the start of a name or email: Alan Turing, not Grace Hopper.
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(1));
        Sender.SentOf<ListUsersQuery>().ShouldHaveSingleItem()
            .ShouldBe(new ListUsersQuery("a", UserRole.Member, null, "createdAt", true, 1, 10));
        cut.Find("input[placeholder='Name or email']").GetAttribute("value").ShouldBe("a");
        Header(cut, "Created").GetAttribute("aria-sort").ShouldBe("descending");
    }

    [Fact]
    public async Task Should_ignore_unknown_values_in_the_url_and_use_the_defaults()
    {
        await SeedAsync();

        var cut = Open("/users?sort=password&size=5000&page=-3&role=Root&status=1");

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));
        Sender.SentOf<ListUsersQuery>().ShouldHaveSingleItem().ShouldBe(new ListUsersQuery(SortBy: "name", PageSize: 25));
    }

    [Fact]
    public async Task Should_keep_what_is_being_typed_when_the_url_changes_before_the_pause_ends()
    {
        await SeedAsync();
        var cut = Open("/users?search=grace");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(1));

        await cut.Do(c => c.Find("input[placeholder='Name or email']").Input("ada"));
        await cut.InvokeAsync(() => Navigation.NavigateTo("/users?role=Member"));
        WaitUntil(cut, 300, () => Sender.SentOf<ListUsersQuery>().Last()
            .ShouldBe(new ListUsersQuery("ada", UserRole.Member, SortBy: "name", PageSize: 25)));
        Navigation.Uri.ShouldEndWith("/users?role=Member&search=ada");
        cut.Find("input[placeholder='Name or email']").GetAttribute("value").ShouldBe("ada");
    }

    [Fact]
    public async Task Should_follow_the_url_when_it_changes_as_with_the_back_button()
    {
        await SeedAsync();
        var cut = Open("/users?search=grace");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(1));

        Navigation.NavigateTo("/users");

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));
        cut.Find("input[placeholder='Name or email']").GetAttribute("value").ShouldBeNullOrEmpty();
    }

    [Fact]
    public void Should_say_there_are_no_users_yet_and_offer_to_create_one()
    {
        var cut = Open("/users");

        cut.WaitForAssertion(() => cut.Find("[data-testid=empty-state]").TextContent.ShouldContain("No users yet"));
        cut.Find("[data-testid=empty-state] a").GetAttribute("href").ShouldBe("users/new");
        cut.Find("[data-testid=total-count]").TextContent.Trim().ShouldBe("0 users");
    }

    [Fact]
    public async Task Should_say_nothing_matches_the_search_and_offer_to_clear_it()
    {
        await SeedAsync();
        var cut = Open("/users?search=xyz");

        cut.WaitForAssertion(() => cut.Find("[data-testid=empty-state]").TextContent.ShouldContain("Nothing matches \"xyz\"."));
        await cut.Do(c => c.FindAll("[data-testid=empty-state] button").Single(b => b.TextContent.Contains("Clear search and filters")).Click());

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));
        Navigation.Uri.ShouldEndWith("/users");
    }

    [Fact]
    public async Task Should_show_an_error_with_a_retry_and_keep_working_when_the_database_is_unreachable()
    {
        await SeedAsync();
        Sender.Unavailable<ListUsersQuery>();

        var cut = Open("/users");

        cut.WaitForAssertion(() => cut.Find("[data-testid=load-error]").TextContent
            .ShouldContain($"The users could not be loaded: {UnavailableError.QueryText}"));
        cut.GridRows().ShouldBeEmpty();

        Sender.Restore<ListUsersQuery>();
        await cut.Do(c => c.FindAll("[data-testid=load-error] button").Single(b => b.TextContent.Contains("Try again")).Click());

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));
        cut.FindAll("[data-testid=load-error]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_disable_a_user_from_its_row_and_confirm_in_a_snackbar()
    {
        await SeedAsync();
        var cut = Open("/users?search=grace");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(1));

        await cut.Do(c => c.Find("button[aria-label='Disable Grace Hopper']").Click());

        cut.ShouldShowSnackbar("Grace Hopper was disabled.");
        cut.WaitForAssertion(() => cut.Find("button[aria-label='Activate Grace Hopper']").ShouldNotBeNull());
        Sender.SentOf<SetUserStatusCommand>().ShouldHaveSingleItem().Status.ShouldBe(UserStatus.Disabled);
        (await App.StoredUsersAsync()).Single(u => u.Name == "Grace Hopper").Status.ShouldBe(UserStatus.Disabled);
    }

    [Fact]
    public async Task Should_refuse_a_row_action_on_a_stale_row_with_a_warning_and_refresh()
    {
        await SeedAsync();
        var cut = Open("/users?search=grace");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(1));
        var grace = (await App.StoredUsersAsync()).Single(u => u.Name == "Grace Hopper");
        (await App.Send(new UpdateUserCommand(grace.Id, "Grace B. Hopper", grace.Email, grace.Role, grace.Version))).ShouldSucceed();

        await cut.Do(c => c.Find("button[aria-label='Disable Grace Hopper']").Click());

        cut.ShouldShowSnackbar("changed by someone else, so nothing was done");
        cut.WaitForAssertion(() => cut.GridRows()[0].TextContent.ShouldContain("Grace B. Hopper"));
        (await App.StoredUsersAsync()).Single(u => u.Id == grace.Id).Status.ShouldBe(UserStatus.Active);
    }

    [Fact]
    public async Task Should_delete_after_the_dialog_naming_the_user_is_confirmed()
    {
        await SeedAsync();
        var cut = Open("/users");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));

        await cut.Do(c => c.Find("button[aria-label='Delete Alan Turing']").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=confirm-message]").TextContent
            .ShouldBe("Delete Alan Turing (alan@example.com)? This cannot be undone."));
        await cut.ConfirmDialogAsync();

        cut.ShouldShowSnackbar("Alan Turing was deleted.");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(2));
        (await App.StoredUsersAsync()).ShouldNotContain(u => u.Name == "Alan Turing");
    }

    [Fact]
    public async Task Should_delete_nothing_when_the_dialog_is_cancelled()
    {
        await SeedAsync();
        var cut = Open("/users");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));

        await cut.Do(c => c.Find("button[aria-label='Delete Alan Turing']").Click());
        cut.WaitForElement(".mud-dialog");
        await cut.Do(c => c.Find(".mud-dialog").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click());

        cut.WaitForAssertion(() => cut.FindAll(".mud-dialog").ShouldBeEmpty());
        Sender.SentOf<DeleteUserCommand>().ShouldBeEmpty();
        (await App.StoredUsersAsync()).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Should_mark_a_locked_user_and_unlock_them_from_the_row()
    {
        await App.CreateUserWithPassword("locked@example.com", "the right passphrase");
        for (var i = 0; i < Application.Accounts.SignInCommand.MaxFailedAttempts; i++)
        {
            await App.Send(new Application.Accounts.SignInCommand("locked@example.com", "wrong", null));
        }

        var cut = Open("/users");
        cut.WaitForAssertion(() => cut.GridRows().Single().QuerySelector("[data-testid=locked]").ShouldNotBeNull());

        await cut.Do(c => c.Find("button[aria-label='Unlock Signer']").Click());

        cut.ShouldShowSnackbar("Signer was unlocked");
        cut.WaitForAssertion(() => cut.GridRows().Single().QuerySelector("[data-testid=locked]").ShouldBeNull());
    }

    [Fact]
    public async Task Should_name_each_row_button_and_the_lock_in_a_css_tooltip_without_a_tooltip_component()
    {
        await App.CreateUserWithPassword("locked@example.com", "the right passphrase");
        for (var i = 0; i < Application.Accounts.SignInCommand.MaxFailedAttempts; i++)
        {
            await App.Send(new Application.Accounts.SignInCommand("locked@example.com", "wrong", null));
        }

        var cut = Open("/users");
        cut.WaitForAssertion(() => cut.GridRows().Single().QuerySelector("[data-testid=locked]").ShouldNotBeNull());

        // Every tooltip a row shows is drawn by CSS from data-tip (ADR 0023): a MudTooltip per button kept four
        // components per button in every open circuit.
        var tips = cut.GridRows().Single().QuerySelectorAll(".row-tip").Select(e => e.GetAttribute("data-tip")).ToList();
        tips.ShouldBe(["Sign-in locked until 2026-01-15 09:45 UTC", "Open", "Disable", "Unlock", "Delete"]);
        cut.FindComponents<MudBlazor.MudTooltip>().ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_show_when_each_user_last_signed_in()
    {
        await App.CreateUserWithPassword("signer@example.com", "the right passphrase");
        await App.CreateUser("Never Signed", "never@example.com");
        (await App.Send(new Application.Accounts.SignInCommand("signer@example.com", "the right passphrase", null))).ShouldSucceed();
        Clock.Advance(TimeSpan.FromMinutes(5));

        var cut = Open("/users");

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(2));
        cut.GridRows().Single(r => r.TextContent.Contains("Never Signed", StringComparison.Ordinal)).TextContent.ShouldContain("Never");
        cut.GridRows().Single(r => r.TextContent.Contains("signer@", StringComparison.Ordinal)).TextContent.ShouldContain("5 min ago");
    }

    [Theory]
    [InlineData("page=abc", "page")]
    [InlineData("page=1e3", "page")]
    [InlineData("page=2147483648", "page")]
    [InlineData("page=85899347", "page")]
    [InlineData("page=%00", "page")]
    [InlineData("size=99999999999", "size")]
    [InlineData("size=%00", "size")]
    [InlineData("role=%00Member", "role")]
    [InlineData("search=ad%00a", "search")]
    public async Task Should_show_the_default_list_and_a_notice_when_a_link_has_a_value_it_cannot_take(string query, string parameter)
    {
        await SeedAsync();

        var cut = Open($"/users?{query}");

        cut.WaitForAssertion(() => cut.Find("[data-testid=url-notice]").TextContent.ShouldContain($"({parameter})"));
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBeGreaterThan(0));
        var sent = Sender.SentOf<ListUsersQuery>().ShouldHaveSingleItem();
        sent.Page.ShouldBe(1);
        sent.PageSize.ShouldBe(25);
        sent.Role.ShouldBeNull();
        (sent.Search ?? string.Empty).ShouldNotContain('\0');
    }

    [Fact]
    public async Task Should_encode_a_line_break_from_the_link_before_it_reaches_the_log()
    {
        await SeedAsync();

        var cut = Open("/users?page=1%0AFAKE%20entry%3A%20admin%20signed%20in");

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));
        var line = Logs.Lines.Where(l => l.Contains("Ignored the users list link", StringComparison.Ordinal)).ShouldHaveSingleItem();
        line.ShouldNotContain("\n");
        line.ShouldContain("page=1%0AFAKE");
        LogText.Encode("1\nFAKE entry\r\u0000").ShouldBe("1\\nFAKE entry\\r\\u0000");
    }

    [Fact]
    public async Task Should_leave_no_listener_behind_and_log_nothing_when_the_list_closes()
    {
        await SeedAsync();
        var broadcast = App.Get<UserChangeBroadcast>();
        // Opened from a link whose page and size it has to ignore.
        var cut = Open("/users?page=abc&size=%00");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(3));
        broadcast.ListenerCount.ShouldBe(1);

        await DisposeComponentsAsync();

        broadcast.ListenerCount.ShouldBe(0);
        Logs.Records.ShouldNotContain(r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Should_say_that_one_or_two_letters_match_the_start_of_a_name_or_email()
    {
        await SeedAsync();

        var cut = Open("/users?search=al");

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(1));
        cut.Find("[data-testid=search-note]").TextContent.ShouldContain("One or two letters match the start of a name or email");
        cut.GridRows()[0].TextContent.ShouldContain("Alan Turing");
    }

    [Fact]
    public async Task Should_say_when_a_broad_search_stopped_counting()
    {
        await SeedAsync();
        Sender.Override<ListUsersQuery>(q => Result<Page<UserListItem>>.Success(
            new Page<UserListItem>([new UserListItem(Guid.CreateVersion7(), "Ada Lovelace", "ada@example.com", UserRole.Member, UserStatus.Active, TestApp.Start.UtcDateTime, TestApp.Start.UtcDateTime, 1)], q.Page, q.PageSize, 10_000)
            {
                IsTotalCapped = true,
            }));

        var cut = Open("/users?search=example");

        cut.WaitForAssertion(() => cut.Find("[data-testid=total-count]").TextContent.Trim().ShouldBe("10,000+ users"));
        cut.Find("[data-testid=search-note]").TextContent.ShouldContain("More than 10,000 users match");
    }

    [Fact]
    public async Task Should_step_to_the_next_page_with_the_cursor_of_the_page_shown()
    {
        for (var i = 0; i < 12; i++)
        {
            await App.CreateUser($"Person {i:00}", $"person{i:00}@example.com");
        }

        var cut = Open("/users?size=10");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(10));
        var first = Sender.SentOf<ListUsersQuery>().Single();

        await cut.Do(c => c.Find("button[aria-label='Next page']").Click());

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(2));
        var next = Sender.SentOf<ListUsersQuery>().Last();
        next.Page.ShouldBe(2);
        next.Cursor.ShouldNotBeNull();
        cut.GridRows().Select(r => r.QuerySelector("td:nth-child(2)")!.TextContent.Trim()).ShouldBe(["Person 10", "Person 11"]);
        Navigation.Uri.ShouldEndWith("/users?size=10&page=2");
        first.Cursor.ShouldBeNull();
    }

    [Fact]
    public async Task Should_step_forwards_and_back_through_several_pages()
    {
        for (var i = 0; i < 35; i++)
        {
            await App.CreateUser($"Person {i:00}", $"person{i:00}@example.com");
        }

        var cut = Open("/users?size=10");
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(10));
        string FirstName() => cut.GridRows()[0].QuerySelector("td:nth-child(2)")!.TextContent.Trim();

        foreach (var expected in new[] { "Person 10", "Person 20", "Person 30" })
        {
            await cut.Do(c => c.Find("button[aria-label='Next page']").Click());
            cut.WaitForAssertion(() => FirstName().ShouldBe(expected), TimeSpan.FromSeconds(10));
        }

        await cut.Do(c => c.Find("button[aria-label='Previous page']").Click());
        cut.WaitForAssertion(() => FirstName().ShouldBe("Person 20"), TimeSpan.FromSeconds(10));
        await cut.Do(c => c.Find("button[aria-label='First page']").Click());
        cut.WaitForAssertion(() => FirstName().ShouldBe("Person 00"), TimeSpan.FromSeconds(10));
        await cut.Do(c => c.Find("button[aria-label='Last page']").Click());
        cut.WaitForAssertion(() => FirstName().ShouldBe("Person 30"), TimeSpan.FromSeconds(10));
        Navigation.Uri.ShouldEndWith("/users?size=10&page=4");
    }
}

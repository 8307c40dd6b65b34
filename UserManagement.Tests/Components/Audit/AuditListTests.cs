using Bunit;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Audit;
using UserManagement.Tests.Support;
using static UserManagement.Tests.Audit.AuditSeed;

namespace UserManagement.Tests.Components.Audit;

public sealed class AuditListTests : ComponentTestContext
{
    private static readonly DateTime Day = TestApp.Start.UtcDateTime.Date;

    private static string[] Actions(IRenderedComponent<TestRouter> cut) =>
        [.. cut.AuditRows().Select(r => r.QuerySelector("[data-testid=action]")!.TextContent.Trim())];

    private static async Task Pick(IRenderedComponent<TestRouter> cut, string select, string option)
    {
        await cut.Do(c => c.Find($"div[role=combobox][aria-label='{select}']").Closest(".mud-input-control")!.MouseDown());
        cut.WaitForAssertion(() => cut.FindAll(".mud-popover-open .mud-list-item").ShouldNotBeEmpty());
        await cut.Do(c => c.FindAll(".mud-popover-open .mud-list-item").Single(li => li.TextContent.Trim() == option).Click());
    }

    private async Task<List<long>> SeedAsync() => await App.AddAsync(
        (Day.AddHours(1), Ana, AuditActions.UserCreated, Ada, null),
        (Day.AddHours(2), Ben, AuditActions.UserUpdated, Ada, "renamed"),
        (Day.AddHours(3), Ana, AuditActions.UserStatusChanged, Grace, null),
        (Day.AddHours(4), Ben, AuditActions.UserDeleted, Grace, "deleted while active"));

    [Fact]
    public async Task Should_show_every_entry_newest_first_with_who_what_and_about_whom()
    {
        await SeedAsync();

        var cut = Open("/audit");

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(4));
        Actions(cut).ShouldBe(["User deleted", "Status changed", "User updated", "User created"]);
        var newest = cut.AuditRows()[0];
        newest.QuerySelector("time")!.TextContent.ShouldBe("2026-01-15 04:00:00 UTC");
        newest.QuerySelector("[data-testid=actor]")!.TextContent.ShouldBe("ben@example.com");
        newest.QuerySelector("[data-testid=target]")!.TextContent.ShouldContain("Grace Hopper");
        newest.QuerySelector("[data-testid=changes]")!.TextContent.ShouldContain("deleted while active");
        cut.Find("table caption").TextContent.ShouldBe("Audit entries");
        cut.FindAll("thead th").Select(th => th.TextContent.Trim()).ShouldBe(["When", "Who", "What", "User", "Changes"]);
    }

    [Fact]
    public async Task Should_show_each_changed_field_old_and_new()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        await App.Send(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, UserRole.Administrator, ada.Version));

        var cut = Open("/audit");

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(3));
        var name = cut.AuditRows().Single(r => r.GetAttribute("data-action") == AuditActions.UserUpdated).QuerySelector("li[data-field=Name]")!;
        name.QuerySelector(".audit-old")!.TextContent.ShouldBe("Ada");
        name.TextContent.ShouldContain("Ada King");
        name.QuerySelector(".visually-hidden")!.TextContent.Trim().ShouldBe("changed to");
        cut.AuditRows()[0].QuerySelector("li[data-field=Role]")!.TextContent.ShouldContain("Member");
    }

    [Fact]
    public async Task Should_filter_by_action_and_administrator_and_keep_the_filters_in_the_url()
    {
        await SeedAsync();
        await App.Send(new CreateUserCommand("Admin Two", "ana@example.com", UserRole.Administrator));
        var cut = Open("/audit");
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(5));

        await Pick(cut, "Action", "User updated");

        cut.WaitForAssertion(() => Actions(cut).ShouldBe(["User updated"]));
        Navigation.Uri.ShouldEndWith("/audit?action=UserUpdated");
        Sender.SentOf<ListAuditEntriesQuery>().Last().Filter.ShouldBe(new AuditFilter(Action: AuditActions.UserUpdated));

        await Pick(cut, "Action", "Any action");
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(5));
        await Pick(cut, "Administrator", "System (start-up, retention)");
        cut.WaitForAssertion(() => cut.Find("[data-testid=empty-state]").TextContent.ShouldContain("No entries match these filters."));
        Navigation.Uri.ShouldEndWith("/audit?actor=system");
    }

    [Fact]
    public async Task Should_filter_by_a_security_action_under_its_readable_label()
    {
        await SeedAsync();
        await App.AddAsync(
            (Day.AddHours(5), Ben, AuditActions.ForSecurityEvent(Application.Accounts.SecurityEventType.MfaEnabled), Ada, "authenticator set up; recovery codes issued"),
            (Day.AddHours(6), Ana, AuditActions.ForSecurityEvent(Application.Accounts.SecurityEventType.SecondFactorLockedOut), Grace, "codes refused for 15 minutes"));
        var cut = Open("/audit");
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(6));
        Actions(cut).Take(2).ShouldBe(["Codes locked out", "MFA set up"]);

        await Pick(cut, "Action", "MFA set up");

        cut.WaitForAssertion(() => Actions(cut).ShouldBe(["MFA set up"]));
        Navigation.Uri.ShouldEndWith("/audit?action=MfaEnabled");
    }

    [Fact]
    public async Task Should_search_once_typing_pauses()
    {
        await SeedAsync();
        var cut = Open("/audit");
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(4));

        await cut.Do(c => c.Find("input[placeholder='Name, email, change or detail']").Input("re"));
        WaitUntil(cut, 300, () => cut.Markup.ShouldContain("Type at least 3 characters to search."));
        cut.AuditRows().Count.ShouldBe(4);

        await cut.Do(c => c.Find("input[placeholder='Name, email, change or detail']").Input("renamed"));
        WaitUntil(cut, 300, () => Actions(cut).ShouldBe(["User updated"]));
        Navigation.Uri.ShouldEndWith("/audit?search=renamed");
    }

    [Fact]
    public async Task Should_page_older_and_newer_with_the_cursor_in_the_url()
    {
        var entries = Enumerable.Range(0, 12).Select(i => (Day.AddMinutes(i), Ana, AuditActions.UserUpdated, (UserRef?)Ada, (string?)$"change {i}")).ToArray();
        await App.AddAsync(entries);
        var cut = Open("/audit?size=10");
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(10));
        cut.Button("Newer").HasAttribute("disabled").ShouldBeTrue();

        await cut.ClickButton("Older");

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(2));
        cut.AuditRows()[0].TextContent.ShouldContain("change 1");
        Navigation.Uri.ShouldContain("before=");
        cut.Button("Older").HasAttribute("disabled").ShouldBeTrue();

        await cut.ClickButton("Newer");
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(10));
        cut.AuditRows()[0].TextContent.ShouldContain("change 11");
        Navigation.Uri.ShouldContain("after=");

        var link = Navigation.Uri;
        await DisposeComponentsAsync();
        var reopened = Open(link);
        reopened.WaitForAssertion(() => reopened.AuditRows()[0].TextContent.ShouldContain("change 11"));
    }

    [Fact]
    public async Task Should_narrow_to_one_user_and_let_the_filter_go_again()
    {
        await SeedAsync();
        var cut = Open("/audit");
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(4));

        await cut.Do(c => c.Find("button[aria-label='Only entries about Grace Hopper']").Click());

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(2));
        Navigation.Uri.ShouldEndWith($"/audit?user={Grace.Id}");
        cut.Find("[data-testid=user-filter]").TextContent.ShouldContain("Grace Hopper (deleted)");

        await cut.Do(c => c.Find("[data-testid=user-filter] button").Click());
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(4));
        Navigation.Uri.ShouldEndWith("/audit");
    }

    [Fact]
    public async Task Should_read_the_view_from_the_url_and_ignore_what_it_cannot_read()
    {
        await SeedAsync();

        var cut = Open("/audit?action=userdeleted&size=abc&before=nonsense&user=not-a-guid&actor=root&from=2026-13-45&search=%0A");

        cut.WaitForAssertion(() => Actions(cut).ShouldBe(["User deleted"]));
        Sender.SentOf<ListAuditEntriesQuery>().Last().ShouldBe(new ListAuditEntriesQuery(new AuditFilter(Action: AuditActions.UserDeleted)));
    }

    [Fact]
    public async Task Should_export_exactly_what_the_filters_show()
    {
        await SeedAsync();

        var cut = Open($"/audit?action=UserUpdated&user={Ada.Id}&from=2026-01-15&to=2026-01-16&search=renamed&before=1-1");

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(0));
        var link = cut.Find("[data-testid=export]");
        link.GetAttribute("href").ShouldBe($"audit/export.csv?search=renamed&action=UserUpdated&user={Ada.Id}&from=2026-01-15&to=2026-01-16");
        link.HasAttribute("download").ShouldBeTrue();
    }

    [Fact]
    public async Task Should_say_so_when_a_date_range_ends_before_it_starts()
    {
        await SeedAsync();

        var cut = Open("/audit?from=2026-01-16&to=2026-01-15");

        cut.WaitForAssertion(() => cut.Markup.ShouldContain("The end of the range is before its start."));
        Sender.SentOf<ListAuditEntriesQuery>().Last().Filter.To.ShouldBeNull();
    }

    [Fact]
    public async Task Should_offer_to_try_again_when_the_trail_cannot_be_read()
    {
        await SeedAsync();
        Sender.Unavailable<ListAuditEntriesQuery>();
        var cut = Open("/audit");
        cut.WaitForAssertion(() => cut.Find("[data-testid=load-error]").TextContent.ShouldContain($"The entries could not be loaded: {UnavailableError.QueryText}"));

        Sender.Restore<ListAuditEntriesQuery>();
        await cut.ClickButton("Try again");

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(4));
    }
}

using Bunit;
using UserManagement.Application.Audit;
using UserManagement.Application.Users;
using UserManagement.Tests.Audit;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Pages.Users;

namespace UserManagement.Tests.Components.Users;

public sealed class UserHistoryTests : ComponentTestContext
{

    private IRenderedComponent<UserHistory> RenderHistory(UserDetails user, long revision = 0) =>
        Render<UserHistory>(p => p.Add(h => h.UserId, user.Id).Add(h => h.UserName, user.Name).Add(h => h.Revision, revision));

    [Fact]
    public async Task Should_show_only_this_users_entries_newest_first_with_who_when_and_what_changed()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        await App.CreateUser("Grace", "grace@example.com");
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        await App.Send(new UpdateUserCommand(ada.Id, "Ada King", "ada.king@example.com", ada.Role, ada.Version));

        var cut = RenderHistory(ada);

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(2));
        cut.AuditRows().Select(r => r.GetAttribute("data-action")).ShouldBe([AuditActions.UserUpdated, AuditActions.UserCreated]);
        var update = cut.AuditRows()[0];
        update.QuerySelector("time")!.TextContent.ShouldBe("2026-01-15 09:35:00 UTC");
        update.QuerySelector("[data-testid=actor]")!.TextContent.ShouldBe(TestCurrentUser.Administrator.Email);
        update.QuerySelectorAll("li").Select(li => string.Join(' ', li.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .ShouldBe(["Name: Ada → changed to Ada King", "Email: ada@example.com → changed to ada.king@example.com"]);
        cut.FindAll("thead th").Select(th => th.TextContent.Trim()).ShouldBe(["When", "Who", "What", "Changes"]);
        cut.Find("table caption").TextContent.ShouldBe("History of Ada");
        cut.Find("a[href^='audit?user=']").GetAttribute("href").ShouldBe($"audit?user={ada.Id}");
    }

    [Fact]
    public async Task Should_show_the_users_sign_ins_and_refusals_with_readable_labels()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", "a long enough password", name: "Ada");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await App.Send(new Application.Accounts.SignInCommand("ada@example.com", "not the password at all", "203.0.113.9"));
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await App.Send(new Application.Accounts.SignInCommand("ada@example.com", "a long enough password", "203.0.113.9"));

        var cut = RenderHistory(ada);

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBeGreaterThanOrEqualTo(3));
        var recent = cut.AuditRows().Take(2).ToList();
        recent.Select(r => r.QuerySelector("[data-testid=action]")!.TextContent.Trim()).ShouldBe(["Signed in", "Sign-in failed"]);
        recent.Select(r => r.QuerySelector("[data-testid=actor]")!.TextContent.Trim()).ShouldAllBe(a => a == "anonymous");
        recent[1].TextContent.ShouldContain("wrong password (from 203.0.113.9)");
    }

    [Fact]
    public async Task Should_page_through_a_long_history_on_the_server()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        await App.AddAsync([.. Enumerable.Range(1, 11).Select(i => (TestApp.Start.UtcDateTime.AddMinutes(i), AuditSeed.Ana, AuditActions.UserUpdated,
            (UserRef?)new UserRef(ada.Id, "Ada", ada.Email), (string?)$"change {i}"))]);
        var cut = RenderHistory(ada);
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(UserHistory.PageSize));
        cut.AuditRows()[0].TextContent.ShouldContain("change 11");

        await cut.ClickButton("Older");

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(2));
        cut.AuditRows().Select(r => r.GetAttribute("data-action")).ShouldBe([AuditActions.UserUpdated, AuditActions.UserCreated]);
        Sender.SentOf<ListAuditEntriesQuery>().Last().Before.ShouldNotBeNull();
        Sender.SentOf<ListAuditEntriesQuery>().ShouldAllBe(q => q.Filter == new AuditFilter(null, null, null, ada.Id, null, null, null) && q.PageSize == UserHistory.PageSize);

        await cut.ClickButton("Newest");
        cut.WaitForAssertion(() => cut.AuditRows()[0].TextContent.ShouldContain("change 11"));
    }

    [Fact]
    public async Task Should_show_the_newest_entries_again_when_the_page_records_something()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = RenderHistory(ada);
        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(1));
        await App.Send(new SetUserStatusCommand(ada.Id, UserStatus.Disabled, ada.Version));

        cut.Render(p => p.Add(h => h.Revision, 1));

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(2));
        cut.AuditRows()[0].GetAttribute("data-action").ShouldBe(AuditActions.UserStatusChanged);
    }

    [Fact]
    public void Should_say_when_nothing_is_recorded_yet()
    {
        var cut = RenderHistory(new UserDetails(Guid.CreateVersion7(), "Nobody", "no@example.com", UserRole.Member, UserStatus.Active, TestApp.Start.UtcDateTime, TestApp.Start.UtcDateTime, 1));

        cut.WaitForAssertion(() => cut.Find("[data-testid=history-empty]").TextContent.ShouldBe("Nothing recorded about this user yet."));
    }

    [Fact]
    public async Task Should_offer_to_try_again_when_the_history_cannot_be_read()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        Sender.Unavailable<ListAuditEntriesQuery>();
        var cut = RenderHistory(ada);
        cut.WaitForAssertion(() => cut.Find("[role=alert]").TextContent.ShouldContain("The history could not be loaded."));

        Sender.Restore<ListAuditEntriesQuery>();
        await cut.ClickButton("Try again");

        cut.WaitForAssertion(() => cut.AuditRows().Count.ShouldBe(1));
    }

    [Fact]
    public async Task Should_show_an_edit_in_the_history_of_the_user_page_as_soon_as_it_is_saved()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=history] tr[data-testid=audit-entry]").Count.ShouldBe(1));

        var nameFor = cut.FindAll("label").Single(l => l.TextContent.Trim().TrimEnd('*').Trim() == "Name").GetAttribute("for");
        await cut.Do(c => c.Find($"#{nameFor}").Input("Ada King"));
        Wait(400);
        await cut.ClickButton("Save");

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=history] tr[data-testid=audit-entry]").Count.ShouldBe(2));
        cut.Find("[data-testid=history] tr[data-testid=audit-entry]").GetAttribute("data-action").ShouldBe(AuditActions.UserUpdated);
    }
}

using Bunit;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Live;

namespace UserManagement.Tests.Components.Users;

/// <summary>An open edit form hears of colleagues' changes and sees who else has it open (ADR 0016).</summary>
public sealed class UserEditorLiveTests : ComponentTestContext
{
    private async Task<(UserDetails Ada, IRenderedComponent<TestRouter> Cut)> OpenAdaAsync()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        return (ada, cut);
    }

    [Fact]
    public async Task Should_say_who_changed_what_and_when_before_the_administrator_saves()
    {
        var (ada, cut) = await OpenAdaAsync();
        App.Clock.Advance(TimeSpan.FromMinutes(4));

        await App.SendAsAna(new UpdateUserCommand(ada.Id, ada.Name, "ada.king@example.com", UserRole.Administrator, ada.Version));

        cut.WaitForAssertion(() => cut.Find("[data-testid=changed-meanwhile]").TextContent
            .ShouldContain("Changed by ana@example.com at 09:34 UTC: Email, Role"));
        cut.Field("Email").GetAttribute("value").ShouldBe("ada@example.com", "what is on the form stays until asked");
    }

    [Fact]
    public async Task Should_load_their_version_on_request()
    {
        var (ada, cut) = await OpenAdaAsync();
        await App.SendAsAna(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, ada.Role, ada.Version));
        cut.WaitForAssertion(() => cut.Find("[data-testid=changed-meanwhile]").TextContent.ShouldContain(": Name"));

        await cut.ClickButton("Load their version");

        cut.WaitForAssertion(() => cut.Field("Name").GetAttribute("value").ShouldBe("Ada King"));
        cut.FindAll("[data-testid=changed-meanwhile]").ShouldBeEmpty();
        await cut.Do(c => c.Field("Name").Input("Ada Lovelace King"));
        Wait(400);
        await cut.ClickButton("Save");
        cut.ShouldShowSnackbar("Changes saved.");
        (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed().Name.ShouldBe("Ada Lovelace King");
    }

    [Fact]
    public async Task Should_lead_to_the_conflict_view_when_the_administrator_keeps_editing_and_saves()
    {
        var (ada, cut) = await OpenAdaAsync();
        await App.SendAsAna(new UpdateUserCommand(ada.Id, ada.Name, "theirs@example.com", ada.Role, ada.Version));
        cut.WaitForAssertion(() => cut.Find("[data-testid=changed-meanwhile]").ShouldNotBeNull());

        await cut.ClickButton("Keep editing");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=changed-meanwhile]").ShouldBeEmpty());
        await cut.Do(c => c.Field("Name").Input("Ada (mine)"));
        Wait(400);
        await cut.ClickButton("Save");

        cut.WaitForAssertion(() => cut.Find("[data-testid=conflict] tr[data-field=Email]").TextContent.ShouldContain("theirs@example.com"));
        (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed().Name.ShouldBe("Ada");
    }

    [Fact]
    public async Task Should_say_at_once_that_a_colleague_deleted_the_user()
    {
        var (ada, cut) = await OpenAdaAsync();

        await App.SendAsAna(new DeleteUserCommand(ada.Id, ada.Version));

        cut.WaitForAssertion(() => cut.Find("[data-testid=deleted-meanwhile]").TextContent
            .ShouldContain("Someone else deleted this user while you were editing"));
        Sender.SentOf<UpdateUserCommand>().ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_ignore_the_administrators_own_saves()
    {
        var (ada, cut) = await OpenAdaAsync();
        await cut.Do(c => c.Field("Name").Input("Ada King"));
        Wait(400);

        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar("Changes saved.");
        (await App.Send(new UpdateUserCommand(ada.Id, "Ada K", ada.Email, ada.Role, ada.Version + 1))).ShouldSucceed();
        cut.FindAll("[data-testid=changed-meanwhile]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_show_who_else_is_editing_and_clear_it_when_they_leave_or_lose_the_connection()
    {
        var presence = App.Get<IEditingPresence>();
        var (ada, cut) = await OpenAdaAsync();
        cut.FindAll("[data-testid=presence]").ShouldBeEmpty("alone on the form");

        await cut.InvokeAsync(() => presence.Enter(ada.Id, new PresentEditor("ana-circuit", Colleague.Ana.UserId, "ana@example.com")));
        cut.WaitForAssertion(() => cut.Find("[data-testid=presence]").TextContent.Trim().ShouldBe("ana@example.com is also editing"));

        await cut.InvokeAsync(() => presence.SetConnected("ana-circuit", connected: false));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=presence]").ShouldBeEmpty());
        await cut.InvokeAsync(() => presence.SetConnected("ana-circuit", connected: true));
        cut.WaitForAssertion(() => cut.Find("[data-testid=presence]").ShouldNotBeNull());

        await cut.InvokeAsync(() => presence.LeaveAll("ana-circuit"));
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=presence]").ShouldBeEmpty());
    }

    [Fact]
    public async Task Should_enter_the_presence_registry_and_leave_it_with_no_subscription_behind_when_the_circuit_ends()
    {
        var presence = App.Get<InProcessEditingPresence>();
        var broadcast = App.Get<UserChangeBroadcast>();
        var (ada, _) = await OpenAdaAsync();
        presence.EditorsOf(ada.Id).ShouldHaveSingleItem().Name.ShouldBe(TestCurrentUser.Administrator.Email);
        presence.WatcherCount.ShouldBe(1);
        broadcast.ListenerCount.ShouldBe(1);

        await DisposeComponentsAsync();

        presence.EditorsOf(ada.Id).ShouldBeEmpty();
        presence.WatcherCount.ShouldBe(0);
        broadcast.ListenerCount.ShouldBe(0);
    }
}

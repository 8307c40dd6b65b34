using AngleSharp.Dom;
using Bunit;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Live;

namespace UserManagement.Tests.Components.Users;

/// <summary>The users list hears colleagues' changes (ADR 0016): in place when rows stay, a bar when they would move.</summary>
public sealed class UserListLiveUpdatesTests : ComponentTestContext
{
    private static IElement Row(IRenderedComponent<TestRouter> cut, string name) =>
        cut.GridRows().Single(r => r.QuerySelector("td:nth-child(2)")!.TextContent.Trim() == name);

    private async Task<(UserDetails Ada, IRenderedComponent<TestRouter> Cut)> OpenListAsync(string url = "/users")
    {
        var ada = await App.CreateUser("Ada Lovelace", "ada@example.com");
        await App.CreateUser("Grace Hopper", "grace@example.com");
        var cut = Open(url);
        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(2));
        return (ada, cut);
    }

    [Fact]
    public async Task Should_change_a_row_in_place_when_a_colleague_changes_a_value_that_moves_no_row()
    {
        var (ada, cut) = await OpenListAsync();

        await App.SendAsAna(new UpdateUserCommand(ada.Id, ada.Name, "ada.king@example.com", UserRole.Administrator, ada.Version));

        cut.WaitForAssertion(() => Row(cut, "Ada Lovelace").TextContent.ShouldContain("ada.king@example.com"));
        Row(cut, "Ada Lovelace").TextContent.ShouldContain("Administrator");
        cut.FindAll("[data-testid=users-changed]").ShouldBeEmpty();
        Navigation.Uri.ShouldEndWith("/users");
    }

    [Fact]
    public async Task Should_count_changes_that_would_move_rows_in_a_bar_and_refresh_on_request()
    {
        var (ada, cut) = await OpenListAsync();
        var sent = Sender.SentOf<ListUsersQuery>().Count();

        await App.SendAsAna(new CreateUserCommand("Alan Turing", "alan@example.com", UserRole.Member));
        await App.SendAsAna(new UpdateUserCommand(ada.Id, "Zelda Lovelace", ada.Email, ada.Role, ada.Version));

        cut.WaitForAssertion(() => cut.Find("[data-testid=users-changed]").TextContent.ShouldContain("2 users changed."));
        cut.GridRows().Select(r => r.QuerySelector("td:nth-child(2)")!.TextContent.Trim()).ShouldBe(["Ada Lovelace", "Grace Hopper"]);
        Sender.SentOf<ListUsersQuery>().Count().ShouldBe(sent, "a change that moves rows waits for Refresh");

        await cut.Do(c => c.FindAll("[data-testid=users-changed] button").Single(b => b.TextContent.Trim() == "Refresh").Click());

        cut.WaitForAssertion(() => cut.GridRows().Select(r => r.QuerySelector("td:nth-child(2)")!.TextContent.Trim())
            .ShouldBe(["Alan Turing", "Grace Hopper", "Zelda Lovelace"]));
        cut.FindAll("[data-testid=users-changed]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_show_a_delete_in_the_bar_and_a_role_change_under_a_role_filter_too()
    {
        var (ada, cut) = await OpenListAsync("/users?role=Member");

        await App.SendAsAna(new UpdateUserCommand(ada.Id, ada.Name, ada.Email, UserRole.Administrator, ada.Version));

        cut.WaitForAssertion(() => cut.Find("[data-testid=users-changed]").TextContent.ShouldContain("1 user changed."));
        var grace = (await App.Send(new ListUsersQuery(Search: "grace"))).ShouldSucceed().Items.Single();
        await App.SendAsAna(new DeleteUserCommand(grace.Id, grace.Version));
        cut.WaitForAssertion(() => cut.Find("[data-testid=users-changed]").TextContent.ShouldContain("2 users changed."));
    }

    [Fact]
    public async Task Should_ignore_the_administrators_own_changes()
    {
        var (ada, cut) = await OpenListAsync();
        var sent = Sender.SentOf<ListUsersQuery>().Count();

        (await App.Send(new CreateUserCommand("Alan Turing", "alan@example.com", UserRole.Member))).ShouldSucceed();
        (await App.Send(new UpdateUserCommand(ada.Id, ada.Name, "own@example.com", ada.Role, ada.Version))).ShouldSucceed();

        cut.FindAll("[data-testid=users-changed]").ShouldBeEmpty();
        Sender.SentOf<ListUsersQuery>().Count().ShouldBe(sent);
    }

    [Fact]
    public async Task Should_leave_no_subscription_behind_when_the_circuit_ends()
    {
        var broadcast = App.Get<UserChangeBroadcast>();
        var before = broadcast.ListenerCount;
        var (ada, _) = await OpenListAsync();
        broadcast.ListenerCount.ShouldBe(before + 1);

        await DisposeComponentsAsync();

        broadcast.ListenerCount.ShouldBe(before);
        await App.SendAsAna(new UpdateUserCommand(ada.Id, ada.Name, "after@example.com", ada.Role, ada.Version));
        Logs.Lines.ShouldNotContain(l => l.Contains("could not take in", StringComparison.Ordinal));
    }
}

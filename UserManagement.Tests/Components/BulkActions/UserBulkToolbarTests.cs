using Bunit;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Pages.Users;

namespace UserManagement.Tests.Components.BulkActions;

/// <summary>The selection toolbar above the users grid and its confirmation dialog, against the real handlers and bus.</summary>
public sealed class UserBulkToolbarTests : ComponentTestContext
{
    protected override bool WithBus => true;

    private static UserListItem Item(UserDetails user) =>
        new(user.Id, user.Name, user.Email, user.Role, user.Status, user.CreatedAt, user.UpdatedAt, user.Version);

    private IRenderedComponent<WithProviders> RenderToolbar(IReadOnlyCollection<UserListItem> selected, UserListView view, Page<UserListItem>? page = null) =>
        RenderWithProviders<UserBulkToolbar>(t => t
            .Add(c => c.Selected, selected)
            .Add(c => c.View, view)
            .Add(c => c.Page, page));

    [Fact]
    public void Should_offer_only_the_export_of_the_current_view_when_nothing_is_ticked()
    {
        var cut = RenderToolbar([], new UserListView(Search: "ada", Role: UserRole.Member, Sort: ListUsersQuery.SortByEmail, Descending: true, Page: 3));

        cut.FindAll("[data-testid=bulk-disable]").ShouldBeEmpty();
        cut.Find("[data-testid=export]").GetAttribute("href").ShouldBe("users/export.csv?search=ada&role=Member&sort=email&desc=true");
    }

    [Fact]
    public async Task Should_confirm_the_count_then_start_one_job_for_the_ticked_users_and_open_its_page()
    {
        await App.ActAsStoredAdministratorAsync();
        var grace = await App.CreateUser("Grace Hopper", "grace@example.com");
        var alan = await App.CreateUser("Alan Turing", "alan@example.com");
        var cut = RenderToolbar([Item(grace), Item(alan)], new UserListView());
        cut.Find("[data-testid=bulk-selection]").TextContent.ShouldBe("2 users selected.");

        await cut.ClickOn("[data-testid=bulk-disable]");
        cut.WaitForAssertion(() => cut.Find("[data-testid=bulk-summary]").TextContent.ShouldBe("Disable 2 users of the 2 users selected?"));
        cut.FindAll("[data-testid=bulk-skipped]").ShouldBeEmpty();
        await cut.ClickOn("[data-testid=bulk-confirm]");

        cut.WaitForAssertion(() => Navigation.Uri.ShouldContain("/jobs/"));
        var started = Sender.SentOf<StartBulkUserActionCommand>().ShouldHaveSingleItem();
        started.Action.ShouldBe(BulkUserAction.Disable);
        started.Selection.UserIds.ShouldBe([grace.Id, alan.Id], ignoreOrder: true);
        var jobId = Guid.Parse(Navigation.Uri[(Navigation.Uri.LastIndexOf('/') + 1)..]);
        (await App.WaitUntilFinishedAsync(jobId)).Done.ShouldBe(2);
    }

    [Fact]
    public async Task Should_select_all_matching_and_say_who_is_skipped_and_why_and_start_nothing_when_cancelled()
    {
        var me = await App.CreateUser("Ada Admin", "ada@example.com", UserRole.Administrator);
        var grace = await App.CreateUser("Grace Hopper", "grace@example.com");
        await App.CreateUser("Alan Turing", "alan@example.com");
        App.Caller.ActAs(me);
        var page = new Page<UserListItem>([Item(grace)], 1, 1, 3);
        var cut = RenderToolbar([Item(grace)], new UserListView(PageSize: 10), page);

        await cut.ClickOn("[data-testid=bulk-all]");
        cut.WaitForAssertion(() => cut.Find("[data-testid=bulk-selection]").TextContent.ShouldBe("All 3 users matching are selected."));
        await cut.ClickOn("[data-testid=bulk-disable]");

        cut.WaitForAssertion(() => cut.Find("[data-testid=bulk-summary]").TextContent.ShouldBe("Disable 2 users of the 3 users selected?"));
        cut.Find("[data-testid=bulk-skipped]").TextContent.ShouldContain("1 user: You cannot disable your own account.");
        cut.Find("[data-testid=bulk-skipped]").TextContent.ShouldContain("ada@example.com");
        Sender.SentOf<PreviewBulkUserActionQuery>().ShouldHaveSingleItem().Selection.Matching.ShouldBe(new UserListFilter());
        await cut.ClickButton("Cancel");

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=bulk-summary]").ShouldBeEmpty());
        Sender.SentOf<StartBulkUserActionCommand>().ShouldBeEmpty();
        (await App.StoredUsersAsync()).ShouldAllBe(u => u.Status == UserStatus.Active);
    }

    [Fact]
    public async Task Should_not_let_a_bulk_action_that_changes_nobody_be_confirmed()
    {
        var grace = await App.CreateUser("Grace Hopper", "grace@example.com");
        var cut = RenderToolbar([Item(grace)], new UserListView());

        await cut.ClickOn("[data-testid=bulk-activate]");

        cut.WaitForAssertion(() => cut.Find("[data-testid=bulk-summary]").TextContent.ShouldBe("Nothing to activate: all 1 user selected are left alone."));
        cut.Find("[data-testid=bulk-confirm]").HasAttribute("disabled").ShouldBeTrue();
        cut.Find("[data-testid=bulk-skipped]").TextContent.ShouldContain(BulkUserActions.AlreadyActive);
    }
}

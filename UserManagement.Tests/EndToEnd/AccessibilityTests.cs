using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Live;

namespace UserManagement.Tests.EndToEnd;

/// <summary>
/// axe-core (WCAG 2.2 A and AA rules) on every page, in light and dark: no serious or critical violation. The
/// contexts here let axe's injected script past the app's Content-Security-Policy; no other test does that.
/// </summary>
public sealed class AccessibilityTests(BrowserFixture browser) : BrowserTests(browser)
{
    private static readonly AxeRunOptions Wcag22 = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    /// <summary>No serious or critical WCAG 2.2 A/AA violation on the page as it is (its context must bypass the CSP).</summary>
    internal static async Task ShouldPassAxeAsync(IPage page)
    {
        var result = await page.RunAxe(Wcag22);
        var serious = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .SelectMany(v => v.Nodes.Select(n => $"{v.Impact} {v.Id} ({v.Help}): {string.Join(" ", n.Target)} {n.Html} | {string.Join("; ", n.Any.Select(c => c.Message))}"))
            .ToList();
        serious.ShouldBeEmpty();
    }

    internal static async Task SwitchToDarkAsync(IPage page, bool dark)
    {
        if (dark)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();

            // The click leaves the pointer and the focus on the toggle, so its tooltip fades in; axe once scanned it
            // half-faded (3.5:1). The page is scanned as it rests: pointer and focus away, no tooltip open.
            await page.Mouse.MoveAsync(0, 0);
            await page.EvaluateAsync("() => document.activeElement?.blur()");
            await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        }
    }

    private async Task<Guid> UserWithHistoryAsync()
    {
        var id = (await Browser.SendAsync(new CreateUserCommand($"Axe {Tag}", $"axe-{Tag}@example.com", UserRole.Member))).ShouldSucceed();
        (await Browser.SendAsync(new UpdateUserCommand(id, $"Axe King {Tag}", $"axe-{Tag}@example.com", UserRole.Administrator, 1))).ShouldSucceed();
        (await Browser.SendAsync(new SetUserStatusCommand(id, UserStatus.Disabled, 2))).ShouldSucceed();
        return id;
    }

    [Fact]
    public async Task Sign_in_page()
    {
        var page = await AnonymousForAxe();
        await page.GotoAsync("/signin");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await ShouldPassAxeAsync(page);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Users_list(bool dark)
    {
        await UserWithHistoryAsync();
        var page = await OpenForAxe($"/users");
        await SwitchToDarkAsync(page, dark);

        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Axe King {Tag}" })).ToHaveCountAsync(1);

        await ShouldPassAxeAsync(page);
    }

    [Fact]
    public async Task New_user_page()
    {
        var page = await OpenForAxe("/users/new");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New user" })).ToBeVisibleAsync();

        await ShouldPassAxeAsync(page);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Edit_user_page_with_its_history(bool dark)
    {
        var id = await UserWithHistoryAsync();
        var page = await OpenForAxe($"/users/{id}");
        await SwitchToDarkAsync(page, dark);

        // Created; renamed and promoted (two entries); disabled.
        await Assertions.Expect(page.GetByTestId("history").GetByTestId("audit-entry")).ToHaveCountAsync(4);

        await ShouldPassAxeAsync(page);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Audit_page(bool dark)
    {
        await UserWithHistoryAsync();
        var page = await OpenForAxe($"/audit?search={Tag}");
        await SwitchToDarkAsync(page, dark);

        await Assertions.Expect(page.GetByTestId("audit-entry")).ToHaveCountAsync(4);

        await ShouldPassAxeAsync(page);
    }

    [Fact]
    public async Task My_sessions_page()
    {
        var page = await OpenForAxe("/account/sessions");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My sessions" })).ToBeVisibleAsync();

        await ShouldPassAxeAsync(page);
    }

    [Fact]
    public async Task Change_password_page()
    {
        // A static page (no circuit): open the app first, then go there as a person would.
        var page = await OpenForAxe("/users");
        await page.GotoAsync("/account/change-password");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change password" })).ToBeVisibleAsync();

        await ShouldPassAxeAsync(page);
    }

    /// <summary>The live notices (ADR 0016): a colleague's change and presence, told to this node's pages as the bus would.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Live_notices_on_the_list_and_the_edit_page(bool dark)
    {
        var id = await UserWithHistoryAsync();
        var colleague = new Application.Common.OperationContext(Guid.NewGuid(), $"colleague-{Tag}@example.com", Tag);
        var user = new UserRef(id, $"Axe King {Tag}", $"axe-{Tag}@example.com");
        var changes = Browser.Services.GetRequiredService<UserManagement.Web.Live.UserChangeBroadcast>();
        var list = await OpenForAxe("/users");
        await SwitchToDarkAsync(list, dark);
        var form = await OpenForAxe($"/users/{id}");
        await SwitchToDarkAsync(form, dark);
        await Assertions.Expect(form.GetByRole(AriaRole.Heading, new() { Name = $"Axe King {Tag}" })).ToBeVisibleAsync();

        Browser.Services.GetRequiredService<IEditingPresence>().Enter(id, new PresentEditor($"axe-{Tag}", colleague.ActorId, colleague.ActorName));
        await changes.HandleAsync(
            new UserUpdated(user, [new FieldChange("Email", user.Email, "new@example.com")], DateTime.UtcNow), colleague, TestContext.Current.CancellationToken);
        await changes.HandleAsync(new UserCreated(user with { Id = Guid.NewGuid() }, UserRole.Member, UserStatus.Active, DateTime.UtcNow), colleague, TestContext.Current.CancellationToken);

        await Assertions.Expect(list.GetByTestId("users-changed")).ToBeVisibleAsync();
        await Assertions.Expect(form.GetByTestId("changed-meanwhile")).ToBeVisibleAsync();
        await Assertions.Expect(form.GetByTestId("presence")).ToBeVisibleAsync();
        await ShouldPassAxeAsync(list);
        await ShouldPassAxeAsync(form);
        Browser.Services.GetRequiredService<IEditingPresence>().LeaveAll($"axe-{Tag}");
    }

    [Fact]
    public async Task Import_page()
    {
        var page = await OpenForAxe("/users/import");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import users" })).ToBeVisibleAsync();

        await ShouldPassAxeAsync(page);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Jobs_page_and_a_job_page(bool dark)
    {
        var id = await UserWithHistoryAsync();
        var jobId = (await Browser.SendAsync(new StartBulkUserActionCommand(BulkUserAction.Activate, BulkSelection.Of(id)))).ShouldSucceed();
        var page = await OpenForAxe("/jobs");
        await SwitchToDarkAsync(page, dark);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Jobs", Exact = true })).ToBeVisibleAsync();

        await ShouldPassAxeAsync(page);

        await page.GotoAsync($"/jobs/{jobId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });

        await ShouldPassAxeAsync(page);
    }
}

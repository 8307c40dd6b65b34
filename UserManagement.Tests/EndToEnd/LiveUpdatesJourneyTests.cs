using Microsoft.Playwright;
using UserManagement.Application.Accounts;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.EndToEnd;

/// <summary>Two administrators in two browsers: one's change and presence reach the other live (ADR 0016).</summary>
public sealed class LiveUpdatesJourneyTests(BrowserFixture browser) : BrowserTests(browser)
{
    private const string ColleaguePassword = "live journey colleague phrase";

    /// <summary>The most a colleague's change may take to show, counted from when the change was confirmed to its author.</summary>
    private const float WithinASecond = 1_000;

    /// <summary>A second administrator, signed in through the sign-in page in a browser context of their own.</summary>
    private async Task<IPage> SignedInColleague()
    {
        var email = $"colleague-{Tag}@example.com";
        var id = (await Browser.SendAsync(new CreateUserCommand($"Colleague {Tag}", email, UserRole.Administrator))).ShouldSucceed();
        (await Browser.SendAsync(new SetTemporaryPasswordCommand(id, "a temporary phrase", 1))).ShouldSucceed();
        await Browser.ChangePasswordAsync(email, "a temporary phrase", ColleaguePassword);
        var page = await Anonymous();
        await page.GotoAsync("/signin");
        await BrowserFixture.SignInAsync(page, email, ColleaguePassword);
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        return page;
    }

    [Fact]
    public async Task Should_show_one_administrators_change_and_presence_in_the_others_list_and_form_without_a_reload()
    {
        // "0" sorts before every letter: the user is on the first page of a list sorted by name, whatever else exists.
        var id = (await Browser.SendAsync(new CreateUserCommand($"0 Live {Tag}", $"live-{Tag}@example.com", UserRole.Member))).ShouldSucceed();
        var bList = await SignedInColleague();
        await BrowserFixture.GoToAsync(bList, "/users?size=100");
        var row = bList.GetByRole(AriaRole.Row).Filter(new() { HasText = $"0 Live {Tag}" });
        await Assertions.Expect(row).ToContainTextAsync($"live-{Tag}@example.com");
        var bForm = await bList.Context.NewPageAsync();
        await BrowserFixture.GoToAsync(bForm, $"/users/{id}");
        await Assertions.Expect(bForm.GetByTestId("presence")).ToHaveCountAsync(0);
        // Marks both pages: a reload would lose the mark.
        await bList.EvaluateAsync("window.liveMark = 'kept'");
        await bForm.EvaluateAsync("window.liveMark = 'kept'");

        var a = await Open($"/users/{id}");
        await Assertions.Expect(bForm.GetByTestId("presence")).ToHaveTextAsync($"{BrowserFixture.AdminEmail} is also editing");

        await a.GetByLabel("Email", new() { Exact = true }).FillAsync($"live-changed-{Tag}@example.com");
        await a.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Assertions.Expect(a.Locator(".mud-snackbar").Filter(new() { HasText = "Changes saved." })).ToBeVisibleAsync();

        await Assertions.Expect(row).ToContainTextAsync($"live-changed-{Tag}@example.com", new() { Timeout = WithinASecond });
        await Assertions.Expect(bForm.GetByTestId("changed-meanwhile"))
            .ToContainTextAsync($"Changed by {BrowserFixture.AdminEmail} at ", new() { Timeout = WithinASecond });
        await Assertions.Expect(bForm.GetByTestId("changed-meanwhile")).ToContainTextAsync(": Email");
        (await bList.EvaluateAsync<string>("window.liveMark")).ShouldBe("kept");
        (await bForm.EvaluateAsync<string>("window.liveMark")).ShouldBe("kept");

        await a.CloseAsync();

        await Assertions.Expect(bForm.GetByTestId("presence")).ToHaveCountAsync(0);
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.EndToEnd;

/// <summary>An administrator disables every user a filter shows, in a real Chromium, through the real bus.</summary>
public sealed class BulkActionJourneyTests(BrowserFixture browser) : BrowserTests(browser)
{
    [Fact]
    public async Task Should_disable_all_users_matching_a_search_after_confirming_and_watch_the_job_finish()
    {
        for (var i = 1; i <= 3; i++)
        {
            (await Browser.SendAsync(new CreateUserCommand($"Bulk {Tag} {i}", $"bulk{i}.{Tag}@example.com", UserRole.Member))).ShouldSucceed();
        }

        var page = await Open($"/users?search={Tag}");
        var rows = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Bulk {Tag}" });
        await Assertions.Expect(rows).ToHaveCountAsync(3);

        await rows.Filter(new() { HasText = $"Bulk {Tag} 1" }).GetByRole(AriaRole.Checkbox).CheckAsync();
        await Assertions.Expect(page.GetByTestId("bulk-selection")).ToHaveTextAsync("1 user selected.");
        await page.GetByTestId("bulk-all").ClickAsync();
        await Assertions.Expect(page.GetByTestId("bulk-selection")).ToHaveTextAsync("All 3 users matching are selected.");
        await page.GetByTestId("bulk-disable").ClickAsync();

        await Assertions.Expect(page.GetByTestId("bulk-summary")).ToHaveTextAsync("Disable 3 users of the 3 users selected?");
        await page.GetByTestId("bulk-confirm").ClickAsync();

        // The circuit moves to the job page client-side (history.pushState): no load event to wait for, so poll the URL.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("job-counts")).ToHaveTextAsync("3 of 3 users");
        await Assertions.Expect(page.GetByTestId("job-summary")).ToHaveTextAsync("Disabled 3 users.");
        var users = (await Browser.SendAsync(new ListUsersQuery(Search: Tag))).Value.Items;
        users.Count.ShouldBe(3);
        users.ShouldAllBe(u => u.Status == UserStatus.Disabled);

        await page.GetByTestId("job-audit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("correlation-filter")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("audit-entry")).ToHaveCountAsync(5, new() { Timeout = 30_000 });
    }
}

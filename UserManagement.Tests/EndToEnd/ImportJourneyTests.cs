using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.EndToEnd;

/// <summary>An administrator imports users from a CSV file in a real Chromium, through the real bus.</summary>
public sealed class ImportJourneyTests(BrowserFixture browser) : BrowserTests(browser)
{
    [Fact]
    public async Task Should_preview_the_bad_rows_import_the_rest_watch_it_complete_and_find_the_users()
    {
        string[] lines =
        [
            "name,email,role",
            .. Enumerable.Range(1, 60).Select(i => $"Imported {Tag} {i},imp{i}.{Tag}@example.com,Member"),
            $"No Email {Tag},,Member",
            $"Bad Role {Tag},badrole.{Tag}@example.com,Owner",
        ];
        var page = await Open("/users/import");

        await page.Locator("#import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "people.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(string.Join("\n", lines)),
        });

        await Assertions.Expect(page.GetByTestId("import-counts")).ToHaveTextAsync("62 rows: 60 valid, 2 problems.");
        var problems = page.GetByTestId("import-errors").Locator("tbody tr");
        await Assertions.Expect(problems).ToHaveCountAsync(2);
        await Assertions.Expect(problems.Nth(0)).ToContainTextAsync("Email is required.");
        await Assertions.Expect(problems.Nth(1)).ToContainTextAsync("Choose a role: Administrator or Member.");

        await page.GetByRole(AriaRole.Button, new() { Name = "Import 60 valid rows" }).ClickAsync();

        // The circuit moves to the job page client-side (history.pushState): no load event to wait for, so poll the URL.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/jobs/[0-9a-f-]{36}$"));
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("job-counts")).ToHaveTextAsync("60 of 60 rows");
        await Assertions.Expect(page.GetByTestId("job-summary")).ToHaveTextAsync("Created 60 users.");

        await page.GetByTestId("created").GetByRole(AriaRole.Link, new() { Name = $"Open Imported {Tag} 1", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Email", new() { Exact = true })).ToHaveValueAsync($"imp1.{Tag}@example.com");

        var found = await Browser.SendAsync(new ListUsersQuery(Search: Tag, PageSize: 100));
        found.Value.TotalCount.ShouldBe(60);

        await page.GotoAsync("/jobs");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("job").Filter(new() { HasText = "people.csv" }).First).ToContainTextAsync("Created 60 users.");
    }
}

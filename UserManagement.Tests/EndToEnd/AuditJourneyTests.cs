using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Tests.Web;

namespace UserManagement.Tests.EndToEnd;

/// <summary>Who changed what, answered from the UI: the history, the audit page and its CSV, by mouse and by keyboard.</summary>
public sealed partial class AuditJourneyTests(BrowserFixture browser) : BrowserTests(browser)
{
    private static ILocator Entries(IPage page) => page.GetByTestId("audit-entry");

    [Fact]
    public async Task Should_export_the_filtered_trail_as_csv_that_parses_with_the_expected_rows()
    {
        var id = (await Browser.SendAsync(new CreateUserCommand($"Csv {Tag}", $"csv-{Tag}@example.com", UserRole.Member))).ShouldSucceed();
        (await Browser.SendAsync(new UpdateUserCommand(id, $"=Csv, \"King\" {Tag}", $"csv-{Tag}@example.com", UserRole.Member, 1))).ShouldSucceed();
        (await Browser.SendAsync(new SetUserStatusCommand(id, UserStatus.Disabled, 2))).ShouldSucceed();
        var page = await Open("/audit");

        await page.GetByLabel("Search", new() { Exact = true }).FillAsync($"csv-{Tag}");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"search=csv-{Tag}"));
        await Assertions.Expect(Entries(page)).ToHaveCountAsync(3);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());

        download.SuggestedFilename.ShouldMatch(@"^audit-\d{8}-\d{6}\.csv$");
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var rows = Csv.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        rows[0][0].ShouldBe("Time (UTC)");
        rows.Skip(1).Select(r => (r[1], r[3], r[4])).ShouldBe(
        [
            (BrowserFixture.AdminEmail, "Exported", string.Empty),
            (BrowserFixture.AdminEmail, "Status changed", $"'=Csv, \"King\" {Tag}"),
            (BrowserFixture.AdminEmail, "User updated", $"'=Csv, \"King\" {Tag}"),
            (BrowserFixture.AdminEmail, "User created", $"Csv {Tag}"),
        ], "the export records itself first, and its filter names the search");
        rows[1][8].ShouldBe($"Audit trail (search \u201ccsv-{Tag}\u201d)");
        rows[2][7].ShouldBe("Status: Active -> Disabled");
    }

    [Fact]
    public async Task Should_search_open_edit_save_and_find_the_change_in_the_audit_trail_with_the_keyboard_alone()
    {
        var id = (await Browser.SendAsync(new CreateUserCommand($"Keys {Tag}", $"keys-{Tag}@example.com", UserRole.Member))).ShouldSucceed();
        var page = await Open("/users");

        await FocusByTab(page, page.GetByLabel("Search", new() { Exact = true }));
        await page.Keyboard.TypeAsync($"keys-{Tag}");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"search=keys-{Tag}"));
        var link = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Keys {Tag}" }).GetByRole(AriaRole.Link, new() { Name = $"Keys {Tag}", Exact = true });
        await FocusByTab(page, link);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/users/{id}$"));

        await FocusByTab(page, page.GetByLabel("Name", new() { Exact = true }));
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" Jr");
        await FocusByTab(page, page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Changes saved." })).ToBeVisibleAsync();
        var history = page.GetByTestId("history");
        await Assertions.Expect(history.GetByTestId("audit-entry").First).ToContainTextAsync(new Regex($"Name:\\s+Keys {Tag}\\W+changed to\\W+Keys {Tag} Jr"));

        await FocusByTab(page, history.GetByRole(AriaRole.Link, new() { Name = "Open in the audit trail" }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/audit\\?user={id}$"));
        await Assertions.Expect(page.GetByTestId("user-filter")).ToContainTextAsync($"Keys {Tag} Jr (keys-{Tag}@example.com)");
        await Assertions.Expect(Entries(page)).ToHaveCountAsync(2);
        await Assertions.Expect(Entries(page).First).ToContainTextAsync(BrowserFixture.AdminEmail);
    }
}

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.EndToEnd;

/// <summary>
/// A bug met in a real browser (ADR 0028): the page gives way to the error panel with a reference, which passes axe,
/// and the keyboard alone brings the page back once the cause is gone. The circuit lives on.
/// </summary>
public sealed partial class ErrorBoundaryJourneyTests(BrowserFixture browser) : BrowserTests(browser)
{
    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Reference();

    /// <summary>Writes <paramref name="role"/> into the user's row as it is, past the model: a value the code does not know is corrupt data.</summary>
    private async Task SetStoredRoleAsync(string email, string role)
    {
        await using var scope = Browser.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IAppDbContextFactory>().CreateDbContextAsync();
        (await ((DbContext)db).Database.ExecuteSqlInterpolatedAsync($"UPDATE Users SET Role = {role} WHERE Email = {email}")).ShouldBe(1);
    }

    [Fact]
    public async Task Should_show_a_reference_pass_axe_and_come_back_by_keyboard_when_a_page_meets_a_bug()
    {
        var email = $"broken-{Tag}@example.com";
        var id = (await Browser.SendAsync(new CreateUserCommand($"Broken {Tag}", email, UserRole.Member))).ShouldSucceed();
        await SetStoredRoleAsync(email, "Corrupt");
        try
        {
            var page = await OpenForAxe($"/users/{id}");

            var panel = page.GetByTestId("error-boundary");
            await Assertions.Expect(panel).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("error-reference")).ToHaveTextAsync(Reference());
            await AccessibilityTests.ShouldPassAxeAsync(page);

            await SetStoredRoleAsync(email, nameof(UserRole.Member));
            var tryAgain = page.GetByRole(AriaRole.Button, new() { Name = "Try again" });
            await FocusByTab(page, tryAgain);
            await page.Keyboard.PressAsync("Enter");

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Broken {Tag}", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(panel).ToHaveCountAsync(0);
        }
        finally
        {
            await SetStoredRoleAsync(email, nameof(UserRole.Member));
        }
    }
}

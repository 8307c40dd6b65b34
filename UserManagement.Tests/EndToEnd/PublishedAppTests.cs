using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.EndToEnd;

/// <summary>
/// The published build (`dotnet publish -c Release`), started in Production by .ci/run, serves a page
/// that becomes interactive. .ci/run sets PUBLISHED_APP_URL and the first administrator's credentials; elsewhere
/// the test is skipped with a message.
/// </summary>
public sealed class PublishedAppTests(BrowserFixture browser) : BrowserTests(browser)
{
    public const string UrlVariable = "PUBLISHED_APP_URL";

    [Fact]
    public async Task Should_serve_an_interactive_page_from_the_published_build_in_production()
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrEmpty(url))
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                throw new InvalidOperationException($"CI must start the published app and set {UrlVariable} (see .ci/run).");
            }

            Assert.Skip($"Runs against the published app that .ci/run starts: set {UrlVariable}, PUBLISHED_APP_ADMIN_EMAIL and PUBLISHED_APP_ADMIN_PASSWORD to run it here.");
        }

        var email = Environment.GetEnvironmentVariable("PUBLISHED_APP_ADMIN_EMAIL")!;
        var password = Environment.GetEnvironmentVariable("PUBLISHED_APP_ADMIN_PASSWORD")!;
        var page = await Anonymous();

        await page.GotoAsync($"{url}/users");
        await BrowserFixture.SignInAsync(page, email, password);

        // The configured first password must be changed at the first sign-in.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/change-password"));
        await page.GetByLabel("Current password").FillAsync(password);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("published app passphrase of my own");
        await page.GetByLabel("Confirm new password").FillAsync("published app passphrase of my own");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        // Then, with no grace period, the first administrator sets up MFA (ADR 0025).
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/account/mfa\?returnUrl=%2Fusers$"));
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await BrowserFixture.SetUpMfaHereAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "I have saved them: continue" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users$"));
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
        var script = await page.APIRequest.GetAsync($"{url}/_framework/blazor.web.js");
        script.Status.ShouldBe(200);
    }
}

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpNet;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.EndToEnd;

/// <summary>Setting up MFA, signing in with an authenticator code or a recovery code, and re-authenticating, in Chromium.</summary>
public sealed class MfaJourneyTests(BrowserFixture browser) : BrowserTests(browser)
{
    private const string Password = "mfa journey passphrase";

    private async Task<(Guid Id, string Email)> ArrangeAdministrator()
    {
        var email = $"mfa-{Tag}@example.com";
        var id = (await Browser.SendAsync(new CreateUserCommand($"Mfa {Tag}", email, UserRole.Administrator))).ShouldSucceed();
        (await Browser.SendAsync(new Application.Accounts.SetTemporaryPasswordCommand(id, "a temporary phrase", 1))).ShouldSucceed();
        await Browser.ChangePasswordAsync(email, "a temporary phrase", Password);
        return (id, email);
    }

    /// <summary>
    /// What an authenticator app holding <paramref name="secret"/> shows 30 s from now: a step later than any code
    /// used before now, and still inside the one-step window the server allows.
    /// </summary>
    private static string NextCode(string secret) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30));

    private async Task<IPage> SignInWithPassword(string email)
    {
        var page = await Anonymous();
        await page.GotoAsync("/signin");
        await BrowserFixture.SignInAsync(page, email, Password);
        return page;
    }

    /// <summary>Sets up MFA through the page; returns the secret and the recovery codes it showed.</summary>
    private static async Task<(string Secret, IReadOnlyList<string> Codes)> EnrolAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Two-factor authentication", Exact = true }).ClickAsync();
        return await BrowserFixture.SetUpMfaHereAsync(page);
    }

    [Fact]
    public async Task Should_set_up_mfa_then_sign_in_with_an_authenticator_code_and_with_a_recovery_code()
    {
        var (_, email) = await ArrangeAdministrator();
        var page = await SignInWithPassword(email);
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("mfa-reminder")).ToBeVisibleAsync();

        var (secret, codes) = await EnrolAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "I have saved them: continue" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users$"));
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("mfa-reminder")).ToHaveCountAsync(0);

        var withCode = await SignInWithPassword(email);
        await Assertions.Expect(withCode).ToHaveURLAsync(new Regex("/signin/two-factor"));
        await withCode.GetByLabel("Authentication code").FillAsync(NextCode(secret));
        await withCode.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(withCode).ToHaveURLAsync(new Regex("/users$"));
        await BrowserFixture.WaitUntilInteractiveAsync(withCode);
        await Assertions.Expect(withCode.GetByTestId("signed-in-as")).ToHaveTextAsync(email);

        var withRecovery = await SignInWithPassword(email);
        await withRecovery.GetByLabel("Authentication code").FillAsync("not-a-code");
        await withRecovery.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(withRecovery.GetByTestId("two-factor-error")).ToBeVisibleAsync();
        await withRecovery.GetByLabel("Authentication code").FillAsync(codes[0]);
        await withRecovery.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(withRecovery).ToHaveURLAsync(new Regex("/users$"));
        await BrowserFixture.WaitUntilInteractiveAsync(withRecovery);
        await Assertions.Expect(withRecovery.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    }

    [Fact]
    public async Task Should_ask_for_the_password_again_before_signing_someone_out_everywhere()
    {
        var (_, email) = await ArrangeAdministrator();
        var target = (await Browser.SendAsync(new CreateUserCommand($"Target {Tag}", $"target-{Tag}@example.com", UserRole.Member))).ShouldSucceed();
        var page = await SignInWithPassword(email);
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await AgeReauthenticationAsync(email);
        await BrowserFixture.GoToAsync(page, $"/users/{target}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();

        var dialog = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "Confirm it's you" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Password or authenticator code").FillAsync("not my password");
        await dialog.GetByTestId("reauth-confirm").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync(Application.Accounts.ReauthenticateCommand.Wrong);
        await dialog.GetByLabel("Password or authenticator code").FillAsync(Password);
        await dialog.GetByTestId("reauth-confirm").ClickAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "session" })).ToBeVisibleAsync();
    }

    // While locked, the right password is answered as a wrong one (no code step), and the password with a code typed
    // beside it still signs in, so nobody can keep an administrator with MFA locked out (ADR 0025).
    [Fact]
    public async Task Should_answer_the_right_password_as_a_wrong_one_while_locked_and_let_the_password_with_a_code_in()
    {
        var (_, email) = await ArrangeAdministrator();
        var enrolling = await SignInWithPassword(email);
        await BrowserFixture.WaitUntilInteractiveAsync(enrolling);
        var (secret, _) = await EnrolAsync(enrolling);

        var page = await Anonymous();
        await page.GotoAsync("/signin");
        for (var attempt = 1; attempt <= Application.Accounts.SignInCommand.MaxFailedAttempts; attempt++)
        {
            await BrowserFixture.SignInAsync(page, email, $"an attacker's guess {attempt}");
            await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync(Application.Accounts.SignInRefusedError.Text);
        }

        await BrowserFixture.SignInAsync(page, email, Password);
        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync(Application.Accounts.SignInRefusedError.Text);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/signin$"), new() { Timeout = 2_000 });
        var afterRight = await page.Locator("main, body").First.InnerTextAsync();
        await BrowserFixture.SignInAsync(page, email, "one more wrong guess");
        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync(Application.Accounts.SignInRefusedError.Text);
        (await page.Locator("main, body").First.InnerTextAsync()).ShouldBe(afterRight, "the right and a wrong password get the same page");

        // The refusal opens the code field, for every account alike; the password with a code signs in.
        await Assertions.Expect(page.GetByTestId("signin-code")).ToHaveAttributeAsync("open", string.Empty);
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Authenticator or recovery code").FillAsync(NextCode(secret));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users$"));
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    }

    /// <summary>As if the administrator last entered their password ten minutes ago.</summary>
    private async Task AgeReauthenticationAsync(string email)
    {
        var key = email.ToUpperInvariant();
        await using var db = await Browser.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var userId = await db.Users.Where(u => u.NormalizedEmail == key).Select(u => u.Id).SingleAsync();
        var tenMinutesAgo = DateTime.UtcNow.AddMinutes(-10);
        await db.Sessions.Where(s => s.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(x => x.ReauthenticatedAt, tenMinutesAgo));
    }
}

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpNet;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.EndToEnd;

/// <summary>
/// Passkeys in Chromium, with its virtual authenticator standing in for the device: adding one, signing in with it
/// alone, a clone and another origin refused, removing one (by its owner and by an administrator), by keyboard too.
/// </summary>
public sealed class PasskeyJourneyTests(BrowserFixture browser) : BrowserTests(browser)
{
    private const string Password = "passkey journey passphrase";

    private string Email => $"passkey-{Tag}@example.com";

    private async Task<Guid> ArrangeAdministrator() =>
        await Browser.ArrangeUserAsync($"Passkey {Tag}", Email, UserRole.Administrator, Password);

    /// <summary>
    /// A fresh context at the passkey origin, with a virtual authenticator, signed in with the password;
    /// <paramref name="forAxe"/>: one that lets axe's script past the Content-Security-Policy.
    /// </summary>
    private async Task<(IPage Page, VirtualAuthenticator Authenticator)> SignedInWithPassword(bool forAxe = false)
    {
        var page = forAxe ? await AnonymousForAxe(Browser.PasskeyBaseUrl) : await Anonymous(Browser.PasskeyBaseUrl);
        var authenticator = await VirtualAuthenticator.AttachAsync(page);
        await page.GotoAsync("/signin");
        await BrowserFixture.SignInAsync(page, Email, Password);
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        return (page, authenticator);
    }

    private static async Task AddPasskeyAsync(IPage page, string name)
    {
        await BrowserFixture.GoToAsync(page, "/account/passkeys");
        await page.GetByLabel("Name for the new passkey").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("passkey").Filter(new() { HasText = name })).ToBeVisibleAsync();
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    private static Task ClickSignInWithPasskeyAsync(IPage page) =>
        page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }).ClickAsync();

    private static async Task ShouldBeSignedInAsync(IPage page, string email)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users$"));
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(email);
    }

    private async Task<List<AuditEntry>> SecurityEntriesAsync(SecurityEventType type)
    {
        var action = AuditActions.ForSecurityEvent(type);
        var key = Email.ToUpperInvariant();
        await using var db = await Browser.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var userId = await db.Users.Where(u => u.NormalizedEmail == key).Select(u => u.Id).SingleAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.TargetId == userId && e.Action == action).OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>Turns on MFA for the user with an authenticator app, so the password alone no longer signs in.</summary>
    private async Task EnableMfaAsync()
    {
        await using var scope = await Browser.ScopeSignedInAsAsync(Email, Password);
        var mediator = scope.ServiceProvider.GetRequiredService<Mediator.IMediator>();
        var enrolment = (await mediator.Send(new StartMfaEnrolmentQuery())).ShouldSucceed();
        var code = new Totp(Base32Encoding.ToBytes(enrolment.Secret)).ComputeTotp(DateTime.UtcNow);
        (await mediator.Send(new EnableMfaCommand(enrolment.Secret, code))).ShouldSucceed();
    }

    [Fact]
    public async Task Should_let_a_passkey_replace_the_password_and_the_code_of_an_administrator()
    {
        await ArrangeAdministrator();
        var (page, _) = await SignedInWithPassword();
        await AddPasskeyAsync(page, "Laptop");
        await EnableMfaAsync();
        await SignOutAsync(page);

        await ClickSignInWithPasskeyAsync(page);

        await ShouldBeSignedInAsync(page, Email);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Exact = true })).ToBeVisibleAsync();
        (await SecurityEntriesAsync(SecurityEventType.SignInSucceeded)).Last().Detail.ShouldStartWith("signed in with passkey \"Laptop\"");
        (await SecurityEntriesAsync(SecurityEventType.PasskeyAdded)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_refuse_a_passkey_answer_made_on_an_origin_that_is_not_configured()
    {
        await ArrangeAdministrator();
        var (page, authenticator) = await SignedInWithPassword();
        await AddPasskeyAsync(page, "Laptop");
        var elsewhere = await AnonymousForAxe(Browser.UnlistedOriginBaseUrl);
        await (await VirtualAuthenticator.AttachAsync(elsewhere)).AddCredentialAsync((await authenticator.CredentialsAsync()).Single());
        await elsewhere.GotoAsync("/signin");

        await ClickSignInWithPasskeyAsync(elsewhere);

        await Assertions.Expect(elsewhere.GetByTestId("passkey-error")).ToHaveTextAsync(PasskeyRefusedError.SignIn);
        await Assertions.Expect(elsewhere).ToHaveURLAsync(new Regex("/signin$"));
        (await SecurityEntriesAsync(SecurityEventType.SignInFailed)).ShouldHaveSingleItem().Detail.ShouldStartWith("passkey: origin not allowed");
        await AccessibilityTests.ShouldPassAxeAsync(elsewhere);
    }

    [Fact]
    public async Task Should_refuse_and_record_a_copied_passkey_whose_signature_counter_went_back()
    {
        await ArrangeAdministrator();
        var (page, authenticator) = await SignedInWithPassword();
        await AddPasskeyAsync(page, "Laptop");
        var copied = (await authenticator.CredentialsAsync()).Single();
        await SignOutAsync(page);
        await ClickSignInWithPasskeyAsync(page);
        await ShouldBeSignedInAsync(page, Email);

        var clone = await Anonymous(Browser.PasskeyBaseUrl);
        await (await VirtualAuthenticator.AttachAsync(clone)).AddCredentialAsync(copied);
        await clone.GotoAsync("/signin");
        await ClickSignInWithPasskeyAsync(clone);

        await Assertions.Expect(clone.GetByTestId("passkey-error")).ToHaveTextAsync(PasskeyRefusedError.SignIn);
        (await SecurityEntriesAsync(SecurityEventType.PasskeyCloneSuspected)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_remove_a_passkey_after_confirming_with_it_and_refuse_it_afterwards()
    {
        var id = await ArrangeAdministrator();
        var (page, _) = await SignedInWithPassword();
        await AddPasskeyAsync(page, "Old phone");
        await AgeReauthenticationAsync(id);

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Old phone" }).ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "Confirm it's you" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = "Passkey \"Old phone\" removed." })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("no-passkeys")).ToBeVisibleAsync();
        (await SecurityEntriesAsync(SecurityEventType.Reauthenticated)).Last().Detail.ShouldBe("confirmed with passkey \"Old phone\"");
        (await SecurityEntriesAsync(SecurityEventType.PasskeyRemoved)).ShouldHaveSingleItem().Detail.ShouldBe("passkey \"Old phone\" removed");
        await SignOutAsync(page);
        await ClickSignInWithPasskeyAsync(page);
        await Assertions.Expect(page.GetByTestId("passkey-error")).ToHaveTextAsync(PasskeyRefusedError.SignIn);
    }

    [Fact]
    public async Task Should_let_an_administrator_remove_someones_passkey_from_their_page_which_signs_them_out()
    {
        var id = await ArrangeAdministrator();
        var (page, _) = await SignedInWithPassword();
        await AddPasskeyAsync(page, "Laptop");
        var admin = await OpenForAxe($"/users/{id}");
        await Assertions.Expect(admin.GetByTestId("passkey")).ToHaveCountAsync(1);
        await AccessibilityTests.ShouldPassAxeAsync(admin);

        await admin.GetByRole(AriaRole.Button, new() { Name = "Remove the passkey Laptop" }).ClickAsync();
        await admin.GetByTestId("confirm").ClickAsync();

        await Assertions.Expect(admin.Locator(".mud-snackbar").Filter(new() { HasText = "passkey \"Laptop\" was removed" })).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("user-passkeys")).ToContainTextAsync("Passkeys: none.");
        // Ending the sessions takes the open page to the sign-in page by itself; a reload here would race that navigation.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await ClickSignInWithPasskeyAsync(page);
        await Assertions.Expect(page.GetByTestId("passkey-error")).ToHaveTextAsync(PasskeyRefusedError.SignIn);
    }

    [Fact]
    public async Task Should_add_a_passkey_and_sign_in_with_it_by_keyboard_alone()
    {
        await ArrangeAdministrator();
        var (page, _) = await SignedInWithPassword();
        await BrowserFixture.GoToAsync(page, "/account/passkeys");

        await FocusByTab(page, page.GetByLabel("Name for the new passkey"));
        await page.Keyboard.TypeAsync("Keyboard laptop");
        await FocusByTab(page, page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("passkey").Filter(new() { HasText = "Keyboard laptop" })).ToBeVisibleAsync();
        await FocusByTab(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await FocusByTab(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign in with a passkey" }));
        await page.Keyboard.PressAsync("Enter");

        await ShouldBeSignedInAsync(page, Email);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_pass_axe_on_the_passkeys_page_and_its_dialogs(bool dark)
    {
        var id = await ArrangeAdministrator();
        var (page, _) = await SignedInWithPassword(forAxe: true);
        await AddPasskeyAsync(page, "Laptop");
        await AccessibilityTests.SwitchToDarkAsync(page, dark);
        // Scanned at rest: the "added" snackbar fades in, and axe would measure it half-faded.
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0);
        await AccessibilityTests.ShouldPassAxeAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Rename Laptop" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("passkey-rename")).ToBeVisibleAsync();
        await AccessibilityTests.ShouldPassAxeAsync(page);
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        await AgeReauthenticationAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Laptop" }).ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "Confirm it's you" });
        await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" })).ToBeVisibleAsync();
        await AccessibilityTests.ShouldPassAxeAsync(page);
    }

    /// <summary>As if the user last proved who they are ten minutes ago.</summary>
    private async Task AgeReauthenticationAsync(Guid userId)
    {
        await using var db = await Browser.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var tenMinutesAgo = DateTime.UtcNow.AddMinutes(-10);
        await db.Sessions.Where(s => s.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(x => x.ReauthenticatedAt, tenMinutesAgo));
    }
}

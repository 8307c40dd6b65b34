using Bunit;
using UserManagement.Application.Accounts;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Components.Mfa;

/// <summary>The MFA page, the reset on a user's page, and the re-authentication prompt, rendered with bUnit.</summary>
public sealed class MfaComponentTests : ComponentTestContext
{
    private const string Password = "a long enough password";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    protected override bool PromptsForReauthentication => true;

    /// <summary>Signs <paramref name="email"/> in on a real session and makes it the caller, re-checked on every message.</summary>
    private async Task<UserDetails> SignedInAs(string email, UserRole role = UserRole.Administrator)
    {
        var user = await App.CreateUserWithPassword(email, Password, role);
        var session = (await App.Send(new SignInCommand(email, Password, null))).ShouldSucceed();
        App.Caller.ActAsSession(App.Get<SessionValidator>(), session.SessionId);
        return user;
    }

    [Fact]
    public async Task Should_show_a_local_qr_code_take_a_code_and_show_ten_recovery_codes_once()
    {
        await SignedInAs("ada@example.com");
        var cut = Open("/account/mfa");
        cut.WaitForAssertion(() => cut.Find("[data-testid=mfa-required]").TextContent.ShouldContain("Administrators must use two-factor authentication."), Patience);

        await cut.ClickButton("Set up two-factor authentication");
        cut.WaitForAssertion(() => cut.Find("[data-testid=mfa-qr]").GetAttribute("src")!.ShouldStartWith("data:image/png;base64,"), Patience);
        var secret = cut.Find("[data-testid=mfa-secret]").TextContent.Replace(" ", string.Empty, StringComparison.Ordinal);

        await cut.Do(c => c.Find("input").Input("000000" == App.CodeFor(secret) ? "111111" : "000000"));
        await cut.ClickButton("Turn on");
        cut.WaitForAssertion(() => cut.Markup.ShouldContain(EnableMfaCommand.WrongCode), Patience);
        await cut.Do(c => c.Find("input").Input(App.CodeFor(secret)));
        await cut.ClickButton("Turn on");

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=recovery-code]").Count.ShouldBe(MfaRecoveryCode.Count), Patience);
        (await App.Send(new GetMyMfaQuery())).ShouldSucceed().Enabled.ShouldBeTrue();
    }

    [Fact]
    public async Task Should_reset_a_users_mfa_from_their_page_after_confirming()
    {
        var ada = await SignedInAs("ada@example.com");
        var enrolment = (await App.Send(new StartMfaEnrolmentQuery())).ShouldSucceed();
        (await App.Send(new EnableMfaCommand(enrolment.Secret, App.CodeFor(enrolment.Secret)))).ShouldSucceed();
        App.Caller.ActAs(TestCurrentUser.Administrator);
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("[data-testid=user-mfa]").TextContent.ShouldContain("on since"), Patience);

        await cut.ClickButton("Reset MFA");
        cut.WaitForAssertion(() => cut.Find("[data-testid=confirm-message]").TextContent.ShouldContain("Remove"), Patience);
        await cut.ConfirmDialogAsync();

        cut.WaitForAssertion(() => cut.Find("[data-testid=user-mfa]").TextContent.ShouldContain("off"), Patience);
        cut.WaitForAssertion(() => cut.FindAll(".mud-snackbar").ShouldContain(s => s.TextContent.Contains("MFA was reset")), Patience);
        Sender.SentOf<ResetUserMfaCommand>().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_ask_for_the_password_and_send_the_sensitive_message_again()
    {
        await SignedInAs("root@example.com");
        var member = await App.CreateUser("Member", "member@example.com");
        App.Clock.Advance(TimeSpan.FromMinutes(10));
        var cut = Open($"/users/{member.Id}");
        cut.WaitForAssertion(() => cut.Button("Sign out everywhere"), Patience);

        await cut.ClickButton("Sign out everywhere");
        await cut.ConfirmDialogAsync();
        cut.WaitForAssertion(() => cut.Find("[data-testid=reauth-confirm]"), Patience);
        await cut.Do(c => c.Find("input[data-testid=reauth-secret]").Input("not my password"));
        await cut.Do(c => c.Find("[data-testid=reauth-confirm]").Click());
        cut.WaitForAssertion(() => cut.Markup.ShouldContain(ReauthenticateCommand.Wrong), Patience);
        await cut.Do(c => c.Find("input[data-testid=reauth-secret]").Input(Password));
        await cut.Do(c => c.Find("[data-testid=reauth-confirm]").Click());

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=reauth-confirm]").ShouldBeEmpty(), Patience);
        cut.WaitForAssertion(() => cut.FindAll(".mud-snackbar").ShouldContain(s => s.TextContent.Contains("Ended 0 sessions of Member.")), Patience);
    }
}

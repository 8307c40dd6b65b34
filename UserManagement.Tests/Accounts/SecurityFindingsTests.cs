using FluentValidation.TestHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Security;

namespace UserManagement.Tests.Accounts;

/// <summary>The findings of the outside security test (issue 7), each reproduced through the real pipeline.</summary>
public sealed class SecurityFindingsTests : AppTests
{
    private const string Password = "a long enough password";

    private async Task<(UserDetails User, SignedIn Session)> SignedIn(string email = "ada@example.com", string password = Password, UserRole role = UserRole.Member, string name = "Ada Lovelace")
    {
        var user = await App.CreateUserWithPassword(email, password, role, name);
        var session = (await App.Send(new SignInCommand(email, password, null))).ShouldSucceed();
        App.Caller.ActAs((await App.Get<SessionValidator>().ConfirmAsync(session.SessionId, TestContext.Current.CancellationToken))!);
        return (user, session);
    }


    // Finding 1: unlimited guessing of the current password.
    [Fact]
    public async Task Should_count_wrong_current_passwords_toward_the_sign_in_lockout_and_end_the_guessing_session()
    {
        var (user, session) = await SignedIn();

        for (var attempt = 1; attempt < SignInCommand.MaxFailedAttempts; attempt++)
        {
            (await App.Send(new ChangeOwnPasswordCommand($"guess number {attempt}", "my new passphrase here")))
                .ShouldFailOnField(nameof(ChangeOwnPasswordCommand.CurrentPassword));
        }

        (await App.Send(new ChangeOwnPasswordCommand("the fifth guess", "my new passphrase here")))
            .ShouldFailWith<ForbiddenError, SignedIn>().Message.ShouldBe(ChangeOwnPasswordCommand.Locked);

        (await App.Get<SessionValidator>().ConfirmAsync(session.SessionId, TestContext.Current.CancellationToken)).ShouldBeNull("the guessing session ended");
        (await App.Send(new ChangeOwnPasswordCommand(Password, "my new passphrase here"))).ShouldFailWith<ForbiddenError, SignedIn>();
        (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldFailWith<SignInRefusedError, SignedIn>();
        (await App.SecurityEntriesAsync(SecurityEventType.CurrentPasswordFailed)).Count.ShouldBeGreaterThanOrEqualTo(SignInCommand.MaxFailedAttempts);
        (await App.SecurityEntriesAsync(SecurityEventType.LockedOut)).ShouldContain(e => e.TargetId == user.Id);
        App.Logs.Lines.ShouldContain(l => l.Contains("Password change refused for user", StringComparison.Ordinal) && l.Contains("wrong current password", StringComparison.Ordinal));
        (await App.Send(new SignInCommand(user.Email, Password, null))).IsSuccess.ShouldBeFalse();
        App.Clock.Advance(SignInCommand.LockoutDuration);
        (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldSucceed();
    }

    // Finding 2: the circuit's re-check kept an unattended tab signed in.
    [Fact]
    public async Task Should_sign_out_an_open_circuit_after_30_minutes_without_activity_though_it_is_rechecked_every_30_seconds()
    {
        var clock = new TimerCountingClock(App.Clock);
        var (_, session) = await SignedIn();
        using var provider = new SessionAuthenticationStateProvider(
            new SessionValidator(App.Get<IAppDbContextFactory>(), MfaPolicy.Default, clock), clock, NullLogger<SessionAuthenticationStateProvider>.Instance);
        var signedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state =>
        {
            if ((await state).User.Identity?.IsAuthenticated != true)
            {
                signedOut.TrySetResult();
            }
        };
        provider.SetAuthenticationState(Task.FromResult(new Microsoft.AspNetCore.Components.Authorization.AuthenticationState(AppClaims.For(session))));

        var rechecks = 0;
        while (!signedOut.Task.IsCompleted)
        {
            // Wait until the provider waits again (or has signed out), then let 30 s pass.
            await Task.WhenAny(clock.NextTimerAsync(rechecks + 1), signedOut.Task).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            if (signedOut.Task.IsCompleted)
            {
                break;
            }

            rechecks.ShouldBeLessThan(62, "an unattended circuit must sign out once idle for 30 minutes");
            rechecks++;
            App.Clock.Advance(SessionAuthenticationStateProvider.RevalidationInterval);
        }

        (rechecks * SessionAuthenticationStateProvider.RevalidationInterval).ShouldBe(UserSession.IdleTimeout);
    }

    // Finding 8: password policy holes.
    [Theory]
    [InlineData("            ", PasswordRules.OnlyBlanks)]
    [InlineData("\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B", PasswordRules.OnlyBlanks)]
    [InlineData("\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0", PasswordRules.OnlyBlanks)]
    [InlineData("\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000", PasswordRules.OnlyBlanks)]
    [InlineData("ａａａａａａａａａａａａ", PasswordRules.TooCommon)]
    [InlineData("aaaaaaaaaaaa", PasswordRules.TooCommon)]
    [InlineData("correct horse battery staple", PasswordRules.TooCommon)]
    [InlineData("P@ssw0rd2026!", PasswordRules.TooCommon)]
    [InlineData("Summer2026!!", PasswordRules.TooCommon)]
    public void Should_refuse_the_passwords_the_outside_test_got_accepted(string password, string message)
    {
        new SetTemporaryPasswordCommandValidator()
            .TestValidate(new SetTemporaryPasswordCommand(Guid.CreateVersion7(), password, 1))
            .ShouldHaveValidationErrorFor(c => c.Password).WithErrorMessage(message).Only();
    }

    // Issue 22, finding 9: repeated pieces, and accents that add characters but nothing to guess.
    [Theory]
    [InlineData("abcabcabcabc", PasswordRules.Repeated)]
    [InlineData("abc abc abc abc", PasswordRules.Repeated)]
    [InlineData("xyzwxyzwxyzw", PasswordRules.Repeated)]
    [InlineData("zq9zq9zq9zq9", PasswordRules.Repeated)]
    [InlineData("🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", PasswordRules.Repeated)]
    [InlineData("éééééééééééé", PasswordRules.TooCommon)]
    [InlineData("éüéüéüéüéüéü", PasswordRules.Repeated)]
    [InlineData("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", PasswordRules.TooCommon)]
    [InlineData("a\u0301\u0300\u0302\u0303\u0308\u030A\u0301\u0300\u0302\u0303\u0308", PasswordRules.TooShort)]
    [InlineData("q\u0332\u0332\u0332\u0332\u0332\u0332\u0332\u0332\u0332\u0332\u0332", PasswordRules.TooShort)]
    [InlineData("tr\u0301oub\u0301ad\u0301or", PasswordRules.TooShort)]
    [InlineData("pässwörd1234", PasswordRules.TooCommon)]
    public void Should_refuse_a_short_piece_repeated_and_count_accents_with_their_letter(string password, string message)
    {
        PasswordRules.LengthOf(password).ShouldBeGreaterThanOrEqualTo(PasswordRules.MinLength, "each sample is long enough as typed");

        new SetTemporaryPasswordCommandValidator()
            .TestValidate(new SetTemporaryPasswordCommand(Guid.CreateVersion7(), password, 1))
            .ShouldHaveValidationErrorFor(c => c.Password).WithErrorMessage(message).Only();
    }

    [Theory]
    [InlineData("abcabcabcabd")]
    [InlineData("abcabcabcabcx")]
    [InlineData("correct horse correct horse")]
    [InlineData("étés à la plage ensoleillée")]
    [InlineData("crème brûlée au café noir")]
    [InlineData("e\u0301te\u0301 a\u0300 la plage")]
    [InlineData("éééééééééééf")]
    [InlineData("Ťřes jolie maison bleue")]
    [InlineData("ab ab ab ab ab ab c")]
    public void Should_accept_passwords_that_only_come_near_a_repeat_or_carry_a_few_accents(string password)
    {
        new SetTemporaryPasswordCommandValidator()
            .TestValidate(new SetTemporaryPasswordCommand(Guid.CreateVersion7(), password, 1))
            .ShouldNotHaveValidationErrorFor(c => c.Password);
    }

    [Theory]
    [InlineData("Ada Lovelace")]
    [InlineData("ada lovelace 1815")]
    [InlineData("AdaLovelace!!!")]
    [InlineData("ada.lovelace@analytical.example")]
    [InlineData("lovelace analytical")]
    public async Task Should_refuse_a_password_built_from_the_users_name_or_email(string password)
    {
        var (user, _) = await SignedIn("ada.lovelace@analytical.example");

        (await App.Send(new ChangeOwnPasswordCommand(Password, password)))
            .ShouldFailOnField(nameof(ChangeOwnPasswordCommand.NewPassword)).Single()
            .ShouldBeOneOf(PasswordRules.Personal, PasswordRules.SameAsEmail);
        App.Caller.ActAs(TestCurrentUser.Administrator);
        (await App.Send(new SetTemporaryPasswordCommand(user.Id, password, user.Version)))
            .ShouldFailOnField(nameof(SetTemporaryPasswordCommand.Password));
    }

    [Fact]
    public async Task Should_accept_a_passphrase_that_merely_mentions_the_name()
    {
        await SignedIn("ada.lovelace@analytical.example");

        (await App.Send(new ChangeOwnPasswordCommand(Password, "ada wrote the first program for the engine"))).ShouldSucceed();
    }

    [Fact]
    public async Task Should_take_a_current_password_of_only_spaces_exactly_as_sign_in_does()
    {
        // An account from before the blank rule: its password signs in, so it must work as the current one.
        var user = await App.CreateUser("Legacy", "legacy@example.com");
        await using (var db = await App.OpenDbAsync())
        {
            var stored = await db.Users.SingleAsync(u => u.Id == user.Id, TestContext.Current.CancellationToken);
            stored.SetPassword(App.Get<IPasswordHasher>().Hash("            "), temporary: true, App.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var session = (await App.Send(new SignInCommand("legacy@example.com", "            ", null))).ShouldSucceed();
        App.Caller.ActAs((await App.Get<SessionValidator>().ConfirmAsync(session.SessionId, TestContext.Current.CancellationToken))!);

        (await App.Send(new ChangeOwnPasswordCommand("            ", "a real passphrase at last"))).ShouldSucceed();
    }

    // Finding 9: what an unknown email keeps, and who may lift a lockout.
    [Fact]
    public async Task Should_keep_only_a_masked_form_of_an_unknown_email_in_the_security_events()
    {
        await App.CreateUserWithPassword("ada@example.com", Password);

        await App.Send(new SignInCommand("my secret passphrase typed in the email box", Password, "203.0.113.9"));

        var failed = (await App.SecurityEntriesAsync(SecurityEventType.SignInFailed)).ShouldHaveSingleItem();
        failed.TargetId.ShouldBeNull();
        failed.TargetEmail.ShouldNotBeNull().ShouldStartWith("my…");
        failed.Detail.ShouldBe("unknown email (from 203.0.113.9)");
        (await App.AuditEntriesAsync()).ShouldAllBe(e => !$"{e.TargetEmail} {e.Detail} {e.ActorName}".Contains("secret passphrase"));
    }

    [Fact]
    public async Task Should_keep_an_account_without_mfa_locked_even_for_the_right_password()
    {
        var user = await App.CreateUserWithPassword("ada@example.com", Password);
        for (var attempt = 1; attempt <= SignInCommand.MaxFailedAttempts; attempt++)
        {
            await App.Send(new SignInCommand(user.Email, $"attacker guess {attempt}", null));
        }

        (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldFailWith<SignInRefusedError, SignedIn>();
    }
}

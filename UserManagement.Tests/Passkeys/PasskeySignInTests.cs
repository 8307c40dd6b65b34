using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Passkeys;

/// <summary>
/// Signing in with a passkey, with and without an email first: each check of the assertion (origin, relying party,
/// user verification, challenge, signature counter, backup flags) refuses on its own, and what it means for MFA
/// and lockouts.
/// </summary>
public sealed class PasskeySignInTests : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private const string Password = "a long enough password";

    private readonly SoftwareAuthenticator _authenticator = new();

    private TestApp App { get; set; } = null!;

    private UserDetails User { get; set; } = null!;

    private DateTime Now => App.Clock.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync()
    {
        App = await PasskeyEnrolment.StartWithPasskeysAsync();
        User = await App.CreateUserWithPassword(Email, Password, UserRole.Administrator);
        await App.SignInAndActAs(Email, Password);
        await App.RegisterPasskey(_authenticator, "Laptop");
        App.Caller.ActAsAnonymous();
    }

    public async ValueTask DisposeAsync()
    {
        _authenticator.Dispose();
        await App.DisposeAsync();
    }

    private async Task<Passkey> StoredPasskey()
    {
        await using var db = await App.OpenDbAsync();
        return await db.Passkeys.AsNoTracking().SingleAsync(TestContext.Current.CancellationToken);
    }

    private async Task<int> SessionCount()
    {
        await using var db = await App.OpenDbAsync();
        return await db.Sessions.CountAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Refused with the one message that tells a stranger nothing, no session started, the reason in the trail.</summary>
    private async Task ShouldBeRefused(Result<SignedIn> result, int sessionsBefore, string reason)
    {
        result.ShouldFailWith<PasskeyRefusedError, SignedIn>().Message.ShouldBe(PasskeyRefusedError.SignIn);
        (await SessionCount()).ShouldBe(sessionsBefore);
        (await App.SecurityEntriesAsync(SecurityEventType.SignInFailed)).ShouldContain(e => e.Detail!.StartsWith($"passkey: {reason}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_start_a_session_that_needs_no_password_or_code_from_a_passkey_alone()
    {
        App.Clock.Advance(TimeSpan.FromDays(30)); // past the MFA grace period, with no authenticator app

        var signedIn = (await App.SignInWithPasskey(_authenticator)).ShouldSucceed();

        signedIn.UserId.ShouldBe(User.Id);
        signedIn.SecondFactorRequired.ShouldBeFalse();
        var caller = (await App.ConfirmSessionAsync(signedIn.SessionId)).ShouldNotBeNull();
        caller.PasskeyVerified.ShouldBeTrue();
        caller.MustEnrolMfa.ShouldBeFalse("a passkey meets the MFA requirement");
        caller.MfaDeadline.ShouldBeNull();
        caller.IsAdministrator.ShouldBeTrue();
        var stored = await StoredPasskey();
        stored.LastUsedAt.ShouldBe(Now);
        stored.SignCount.ShouldBe(2);
        (await App.StoredUsersAsync()).Single(u => u.Id == User.Id).LastSignInAt.ShouldBe(Now);
        (await App.SecurityEntriesAsync(SecurityEventType.SignInSucceeded)).Last().Detail.ShouldBe("signed in with passkey \"Laptop\" (from 203.0.113.9)");
    }

    [Fact]
    public async Task Should_hold_a_password_session_of_an_administrator_past_the_grace_period_without_an_authenticator_app()
    {
        App.Clock.Advance(TimeSpan.FromDays(30));

        var withPassword = (await App.Send(new SignInCommand(Email, Password, null))).ShouldSucceed();

        var caller = (await App.ConfirmSessionAsync(withPassword.SessionId)).ShouldNotBeNull();
        caller.MustEnrolMfa.ShouldBeTrue("the password alone is one factor, whatever else the account has");
        caller.IsAdministrator.ShouldBeFalse();
    }

    [Fact]
    public async Task Should_sign_in_after_the_email_only_with_a_passkey_of_that_account()
    {
        App.Caller.ActAs(TestCurrentUser.Administrator);
        await App.CreateUser("Grace", "grace@example.com", UserRole.Administrator);
        App.Caller.ActAsAnonymous();
        var sessions = await SessionCount();

        (await App.SignInWithPasskey(_authenticator, " ADA@example.com ")).ShouldSucceed();
        await ShouldBeRefused(await App.SignInWithPasskey(_authenticator, "grace@example.com"), sessions + 1, "passkey of another account");
    }

    [Fact]
    public async Task Should_name_no_credential_in_the_sign_in_options_whatever_the_email()
    {
        var known = (await App.Send(new StartPasskeySignInCommand(Email))).ShouldSucceed();
        var unknown = (await App.Send(new StartPasskeySignInCommand("nobody@example.com"))).ShouldSucceed();

        known.OptionsJson.ShouldContain("\"allowCredentials\":[]");
        unknown.OptionsJson.ShouldContain("\"allowCredentials\":[]");
        known.OptionsJson.ShouldContain("\"userVerification\":\"required\"");
        known.OptionsJson.ShouldContain($"\"rpId\":\"{SoftwareAuthenticator.RelyingPartyId}\"");
    }

    [Theory]
    [InlineData("origin", "origin not allowed")]
    [InlineData("relying party", "relying party id does not match")]
    [InlineData("user verification", "user not verified")]
    public async Task Should_refuse_an_assertion_with_one_thing_wrong(string wrong, string reason)
    {
        var sessions = await SessionCount();
        switch (wrong)
        {
            case "origin":
                _authenticator.PageOrigin = "http://localhost:5001";
                break;
            case "relying party":
                _authenticator.SignedRelyingPartyId = "localhost.example.com";
                break;
            default:
                _authenticator.UserVerified = false;
                break;
        }

        await ShouldBeRefused(await App.SignInWithPasskey(_authenticator), sessions, reason);
        (await StoredPasskey()).LastUsedAt.ShouldBeNull();
    }

    [Fact]
    public async Task Should_refuse_an_assertion_replayed_to_its_own_challenge_or_to_a_new_one()
    {
        var started = (await App.Send(new StartPasskeySignInCommand(null))).ShouldSucceed();
        var answer = _authenticator.Assert(started.OptionsJson);
        (await App.Send(new SignInWithPasskeyCommand(started.ChallengeId, answer, null))).ShouldSucceed();
        var sessions = await SessionCount();

        await ShouldBeRefused(
            await App.Send(new SignInWithPasskeyCommand(started.ChallengeId, answer, null)), sessions,
            "challenge unknown, used already, expired or of another session");
        var next = (await App.Send(new StartPasskeySignInCommand(null))).ShouldSucceed();
        await ShouldBeRefused(await App.Send(new SignInWithPasskeyCommand(next.ChallengeId, answer, null)), sessions, "challenge does not match");
    }

    [Fact]
    public async Task Should_refuse_a_challenge_answered_after_its_two_minutes()
    {
        var started = (await App.Send(new StartPasskeySignInCommand(null))).ShouldSucceed();
        var sessions = await SessionCount();

        App.Clock.Advance(PasskeySettings.CeremonyTimeout + TimeSpan.FromSeconds(1));

        await ShouldBeRefused(
            await App.Send(new SignInWithPasskeyCommand(started.ChallengeId, _authenticator.Assert(started.OptionsJson), null)), sessions,
            "challenge unknown, used already, expired or of another session");
    }

    [Fact]
    public async Task Should_refuse_and_record_a_clone_whose_signature_counter_went_back()
    {
        using var clone = _authenticator.Clone();
        (await App.SignInWithPasskey(_authenticator)).ShouldSucceed();
        (await App.SignInWithPasskey(_authenticator)).ShouldSucceed();
        var counter = (await StoredPasskey()).SignCount;
        var sessions = await SessionCount();

        var refused = await App.SignInWithPasskey(clone);

        refused.ShouldFailWith<PasskeyRefusedError, SignedIn>();
        (await SessionCount()).ShouldBe(sessions);
        (await StoredPasskey()).SignCount.ShouldBe(counter);
        var entry = (await App.SecurityEntriesAsync(SecurityEventType.PasskeyCloneSuspected)).ShouldHaveSingleItem();
        entry.TargetId.ShouldBe(User.Id);
        entry.Detail.ShouldBe("passkey: passkey \"Laptop\" refused, its signature counter went back (a cloned authenticator?) (from 203.0.113.9)");
        App.Logs.Records.ShouldContain(r => r.EventId.Id == 1126 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Should_refuse_a_counter_that_falls_back_to_zero_once_it_has_counted()
    {
        using var clone = _authenticator.Clone();
        clone.CountsSignatures = false;
        clone.Counter = 0;

        (await App.SignInWithPasskey(clone)).ShouldFailWith<PasskeyRefusedError, SignedIn>();
        (await App.SecurityEntriesAsync(SecurityEventType.PasskeyCloneSuspected)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_accept_an_authenticator_that_keeps_no_counter_every_time()
    {
        using var synced = new SoftwareAuthenticator { CountsSignatures = false, BackupEligible = true, BackedUp = true };
        await App.SignInAndActAs(Email, Password);
        await App.RegisterPasskey(synced, "Phone");

        (await App.SignInWithPasskey(synced)).ShouldSucceed();
        (await App.SignInWithPasskey(synced)).ShouldSucceed();
    }

    [Fact]
    public async Task Should_refuse_a_passkey_whose_backup_eligibility_changed_and_keep_the_backup_state_as_last_seen()
    {
        using var synced = new SoftwareAuthenticator { BackupEligible = true, BackedUp = false };
        await App.SignInAndActAs(Email, Password);
        var phone = await App.RegisterPasskey(synced, "Phone");

        synced.BackedUp = true;
        (await App.SignInWithPasskey(synced)).ShouldSucceed();
        (await App.Send(new ListMyPasskeysQuery())).ShouldSucceed().Items.Single(p => p.Id == phone.Id).BackedUp.ShouldBeTrue();

        _authenticator.BackupEligible = true;
        (await App.SignInWithPasskey(_authenticator)).ShouldFailWith<PasskeyRefusedError, SignedIn>();
        (await App.SecurityEntriesAsync(SecurityEventType.SignInFailed)).ShouldContain(e => e.Detail == "passkey: backup flags changed (from 203.0.113.9)");
    }

    [Fact]
    public async Task Should_refuse_the_passkey_of_a_disabled_user()
    {
        App.Caller.ActAs(TestCurrentUser.Administrator);
        await App.CreateUser("Grace", "grace@example.com", UserRole.Administrator);
        (await App.Send(new SetUserStatusCommand(User.Id, UserStatus.Disabled, User.Version))).ShouldSucceed();
        var sessions = await SessionCount();

        await ShouldBeRefused(await App.SignInWithPasskey(_authenticator), sessions, "account disabled");
    }

    [Fact]
    public async Task Should_refuse_a_passkey_once_removed()
    {
        await App.SignInAndActAs(Email, Password);
        var passkey = (await App.Send(new ListMyPasskeysQuery())).ShouldSucceed().Items.Single();
        (await App.Send(new RemovePasskeyCommand(passkey.Id))).ShouldSucceed();
        var sessions = await SessionCount();

        await ShouldBeRefused(await App.SignInWithPasskey(_authenticator), sessions, "unknown passkey");
    }

    [Fact]
    public async Task Should_refuse_an_answer_that_is_not_webauthn_at_all()
    {
        var started = (await App.Send(new StartPasskeySignInCommand(null))).ShouldSucceed();
        var sessions = await SessionCount();

        await ShouldBeRefused(
            await App.Send(new SignInWithPasskeyCommand(started.ChallengeId, "{\"rawId\":\"!!\",\"response\":{\"signature\":1}}", null)), sessions,
            "not a valid WebAuthn answer");
    }

    [Fact]
    public async Task Should_let_a_passkey_through_a_lockout_that_wrong_passwords_caused_and_lift_it()
    {
        for (var attempt = 0; attempt < SignInCommand.MaxFailedAttempts; attempt++)
        {
            await App.Send(new SignInCommand(Email, "not the password at all", null));
        }

        (await App.StoredUsersAsync()).Single(u => u.Id == User.Id).IsLockedAt(Now).ShouldBeTrue();

        (await App.SignInWithPasskey(_authenticator)).ShouldSucceed();

        var stored = (await App.StoredUsersAsync()).Single(u => u.Id == User.Id);
        stored.IsLockedAt(Now).ShouldBeFalse();
        stored.FailedSignInCount.ShouldBe(0);
    }

    [Fact]
    public async Task Should_confirm_it_is_you_with_a_passkey_before_a_sensitive_action()
    {
        var signedIn = await App.SignInAndActAs(Email, Password);
        App.Clock.Advance(Reauthentication.Window + TimeSpan.FromMinutes(1));
        (await App.Send(new StartPasskeyRegistrationCommand())).ShouldFailWith<ReauthenticationRequiredError, PasskeyCeremonyStart>();

        var started = (await App.Send(new StartPasskeyReauthenticationCommand())).ShouldSucceed();
        started.OptionsJson.ShouldContain(SoftwareAuthenticator.ToBase64Url(_authenticator.CredentialId), Case.Sensitive, "only the caller's passkeys");
        (await App.Send(new ReauthenticateWithPasskeyCommand(started.ChallengeId, _authenticator.Assert(started.OptionsJson)))).ShouldSucceed();

        (await App.Send(new StartPasskeyRegistrationCommand())).ShouldSucceed();
        (await App.ConfirmSessionAsync(signedIn.SessionId)).ShouldNotBeNull().PasskeyVerified.ShouldBeTrue();
        (await App.SecurityEntriesAsync(SecurityEventType.Reauthenticated)).Last().Detail.ShouldBe("confirmed with passkey \"Laptop\"");
    }

    [Fact]
    public async Task Should_refuse_to_confirm_with_a_challenge_of_another_session_or_a_passkey_of_another_user()
    {
        await App.SignInAndActAs(Email, Password);
        var started = (await App.Send(new StartPasskeyReauthenticationCommand())).ShouldSucceed();
        var answer = _authenticator.Assert(started.OptionsJson);
        await App.SignInAndActAs(Email, Password);

        (await App.Send(new ReauthenticateWithPasskeyCommand(started.ChallengeId, answer))).ShouldFailWith<PasskeyRefusedError>()
            .Message.ShouldBe(PasskeyRefusedError.Reauthentication);

        App.Caller.ActAs(TestCurrentUser.Administrator);
        await App.CreateUserWithPassword("grace@example.com", Password, UserRole.Administrator);
        using var graces = new SoftwareAuthenticator();
        await App.SignInAndActAs("grace@example.com", Password);
        await App.RegisterPasskey(graces);
        var mine = (await App.Send(new StartPasskeyReauthenticationCommand())).ShouldSucceed();
        (await App.Send(new ReauthenticateWithPasskeyCommand(mine.ChallengeId, _authenticator.Assert(mine.OptionsJson))))
            .ShouldFailWith<PasskeyRefusedError>();
        (await App.SecurityEntriesAsync(SecurityEventType.ReauthenticationFailed)).Select(e => e.Detail).ShouldBe(
            ["passkey: challenge unknown, used already, expired or of another session", "passkey: passkey of another account"]);
    }

    [Fact]
    public async Task Should_say_there_is_no_passkey_to_confirm_with()
    {
        App.Caller.ActAs(TestCurrentUser.Administrator);
        await App.CreateUserWithPassword("grace@example.com", Password, UserRole.Administrator);
        await App.SignInAndActAs("grace@example.com", Password);

        (await App.Send(new StartPasskeyReauthenticationCommand())).ShouldFailWith<NotFoundError, PasskeyCeremonyStart>()
            .Message.ShouldBe(StartPasskeyReauthenticationCommand.NoPasskey);
    }
}

using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>MFA: enrolment, the second sign-in step with a TOTP or a recovery code, replay, lockout, reset and the grace period.</summary>
public abstract class MfaTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Email = "ada@example.com";
    private const string Password = "a long enough password";

    private DateTime Now => App.Clock.GetUtcNow().UtcDateTime;

    private async Task<SignedIn> SignInAs(string email = Email) =>
        (await App.Send(new SignInCommand(email, Password, "203.0.113.7"))).ShouldSucceed();

    private async Task ActAs(SignedIn session) =>
        await App.ActAsConfirmedSessionAsync(session.SessionId);

    /// <summary>An administrator with MFA on; returns the secret and the recovery codes.</summary>
    private Task<(UserDetails User, string Secret, IReadOnlyList<string> Codes)> Enrolled(UserRole role = UserRole.Administrator) =>
        App.CreateUserWithMfa(Email, Password, role);

    private async Task<User> Stored(Guid id)
    {
        await using var db = await App.OpenDbAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Should_turn_on_mfa_with_a_code_from_the_app_and_issue_ten_hashed_recovery_codes()
    {
        var (user, secret, codes) = await Enrolled();

        codes.Count.ShouldBe(10);
        codes.Distinct().Count().ShouldBe(10);
        var stored = await Stored(user.Id);
        stored.MfaEnabledAt.ShouldNotBeNull();
        stored.MfaSecret.ShouldNotBeNull().ShouldNotContain(secret, Case.Insensitive, "the secret is protected at rest");
        App.Get<ISecretProtector>().Unprotect(stored.MfaSecret!).ShouldBe(secret);
        await using var db = await App.OpenDbAsync();
        var hashes = await db.RecoveryCodes.AsNoTracking().Where(c => c.UserId == user.Id).Select(c => c.CodeHash).ToListAsync(TestContext.Current.CancellationToken);
        hashes.Count.ShouldBe(10);
        hashes.ShouldAllBe(h => !codes.Any(c => h.Contains(c.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)));
        (await App.SecurityEntriesAsync(SecurityEventType.MfaEnabled)).ShouldContain(e => e.TargetId == user.Id);
    }

    [Fact]
    public async Task Should_refuse_to_turn_on_mfa_with_a_wrong_code()
    {
        await App.CreateUserWithPassword(Email, Password, UserRole.Administrator);
        await ActAs(await SignInAs());
        var enrolment = (await App.Send(new StartMfaEnrolmentQuery())).ShouldSucceed();
        var wrong = App.CodeFor(enrolment.Secret) == "000000" ? "111111" : "000000";

        (await App.Send(new EnableMfaCommand(enrolment.Secret, wrong))).ShouldFailOnField(nameof(EnableMfaCommand.Code))
            .ShouldBe([EnableMfaCommand.WrongCode]);
        (await App.Send(new GetMyMfaQuery())).ShouldSucceed().Enabled.ShouldBeFalse();
    }

    [Fact]
    public async Task Should_ask_for_the_code_after_the_password_and_start_the_session_only_then()
    {
        var (user, secret, _) = await Enrolled();

        var pending = await SignInAs();

        pending.SecondFactorRequired.ShouldBeTrue();
        (await App.ConfirmSessionAsync(pending.SessionId)).ShouldBeNull("the password alone opens nothing");
        var signedIn = (await App.Send(new VerifySecondFactorCommand(pending.SessionId, App.CodeFor(secret), "203.0.113.7"))).ShouldSucceed();
        signedIn.SessionId.ShouldBe(pending.SessionId);
        (await App.ConfirmSessionAsync(signedIn.SessionId)).ShouldNotBeNull().IsAdministrator.ShouldBeTrue();
        (await Stored(user.Id)).LastSignInAt.ShouldBe(Now);
    }

    [Fact]
    public async Task Should_refuse_a_code_used_once_already()
    {
        var (_, secret, _) = await Enrolled();
        var code = App.CodeFor(secret);
        var first = await SignInAs();
        (await App.Send(new VerifySecondFactorCommand(first.SessionId, code, null))).ShouldSucceed();

        var second = await SignInAs();

        (await App.Send(new VerifySecondFactorCommand(second.SessionId, code, null)))
            .ShouldFailWith<SecondFactorRefusedError, SignedIn>().Message.ShouldBe(SecondFactorRefusedError.Wrong);
        (await App.ConfirmSessionAsync(second.SessionId)).ShouldBeNull();
    }

    [Fact]
    public async Task Should_sign_in_with_a_recovery_code_once()
    {
        var (user, _, codes) = await Enrolled();

        var first = await SignInAs();
        (await App.Send(new VerifySecondFactorCommand(first.SessionId, codes[3].ToUpperInvariant(), null))).ShouldSucceed();
        var second = await SignInAs();

        (await App.Send(new VerifySecondFactorCommand(second.SessionId, codes[3], null))).ShouldFailWith<SecondFactorRefusedError, SignedIn>();
        App.Caller.ActAs(TestCurrentUser.Administrator);
        (await App.Send(new GetUserMfaQuery(user.Id))).ShouldSucceed().RecoveryCodesLeft.ShouldBe(9);
        (await App.SecurityEntriesAsync(SecurityEventType.RecoveryCodeUsed)).ShouldContain(e => e.Detail!.Contains("9 left"));
    }

    [Fact]
    public async Task Should_lock_the_second_factor_after_5_wrong_codes_whatever_the_next_code()
    {
        var (user, secret, _) = await Enrolled();
        var pending = await SignInAs();
        var wrong = App.CodeFor(secret) == "000000" ? "111111" : "000000";

        for (var attempt = 1; attempt < SecondFactor.MaxFailedAttempts; attempt++)
        {
            (await App.Send(new VerifySecondFactorCommand(pending.SessionId, wrong, null))).ShouldFailWith<SecondFactorRefusedError, SignedIn>()
                .Message.ShouldBe(SecondFactorRefusedError.Wrong);
        }

        (await App.Send(new VerifySecondFactorCommand(pending.SessionId, wrong, null))).ShouldFailWith<SecondFactorRefusedError, SignedIn>()
            .Message.ShouldBe(SecondFactorRefusedError.Locked);
        (await Stored(user.Id)).MfaLockedUntil.ShouldBe(Now + SecondFactor.LockoutDuration);
        (await App.Send(new SignInCommand(Email, Password, null))).ShouldFailWith<SignInRefusedError, SignedIn>();

        App.Clock.Advance(SecondFactor.LockoutDuration);
        var again = await SignInAs();
        (await App.Send(new VerifySecondFactorCommand(again.SessionId, App.CodeFor(secret), null))).ShouldSucceed();
    }

    [Fact]
    public async Task Should_record_each_code_step_in_the_trail_and_publish_a_code_lockout_once()
    {
        var (user, secret, _) = await Enrolled();
        App.Published.Clear();
        var pending = await SignInAs();
        var wrong = App.CodeFor(secret) == "000000" ? "111111" : "000000";

        for (var attempt = 1; attempt <= SecondFactor.MaxFailedAttempts; attempt++)
        {
            (await App.Send(new VerifySecondFactorCommand(pending.SessionId, wrong, "203.0.113.8"))).IsSuccess.ShouldBeFalse();
        }

        var published = App.Published.All.Where(p => p.Event is UserLockedOut).ShouldHaveSingleItem();
        var lockout = (UserLockedOut)published.Event;
        lockout.Kind.ShouldBe(LockoutKind.SecondFactor);
        lockout.User.ShouldBe(new UserRef(user.Id, user.Name, Email));
        lockout.LockedUntil.ShouldBe(Now + SecondFactor.LockoutDuration);
        published.CommittedEntriesOfItsOperation.ShouldBeGreaterThan(0, "published only once committed");
        (await App.SecurityEntriesAsync(SecurityEventType.SecondFactorRequested)).ShouldContain(e => e.TargetId == user.Id);
        (await App.SecurityEntriesAsync(SecurityEventType.SecondFactorFailed)).Count.ShouldBe(SecondFactor.MaxFailedAttempts);
        var entry = (await App.SecurityEntriesAsync(SecurityEventType.SecondFactorLockedOut)).ShouldHaveSingleItem("recorded once, from the published event");
        entry.TargetId.ShouldBe(user.Id);
        entry.TargetName.ShouldBe(user.Name);
        entry.Detail.ShouldBe("codes refused for 15 minutes after 5 wrong codes (from 203.0.113.8)");
        (await App.SecurityEntriesAsync(SecurityEventType.LockedOut)).ShouldBeEmpty("the password still signs in");
        (await App.AuditEntriesAsync()).ShouldAllBe(e => !$"{e.Detail} {e.TargetEmail}".Contains(secret) && !$"{e.Detail}".Contains(wrong));
    }

    [Fact]
    public async Task Should_give_the_code_step_five_minutes_at_most()
    {
        var (_, secret, _) = await Enrolled();
        var pending = await SignInAs();

        App.Clock.Advance(UserSession.SecondFactorTimeout);

        (await App.Send(new VerifySecondFactorCommand(pending.SessionId, App.CodeFor(secret), null)))
            .ShouldFailWith<SecondFactorRefusedError, SignedIn>().Message.ShouldBe(SecondFactorRefusedError.Expired);
    }

    // A known account cannot be kept locked forever by someone guessing passwords.
    [Fact]
    public async Task Should_let_the_right_password_and_code_through_a_lockout_someone_else_caused()
    {
        var (user, secret, _) = await Enrolled();
        for (var attempt = 1; attempt <= SignInCommand.MaxFailedAttempts; attempt++)
        {
            (await App.Send(new SignInCommand(Email, $"attacker guess {attempt}", "198.51.100.1"))).ShouldFailWith<SignInRefusedError, SignedIn>();
        }

        (await Stored(user.Id)).LockedUntil.ShouldNotBeNull();

        // While locked the password alone gets no verdict (ADR 0025); with the code beside it, it signs in.
        (await App.Send(new SignInCommand(Email, Password, "203.0.113.7"))).ShouldFailWith<SignInRefusedError, SignedIn>();
        var signedIn = (await App.Send(new SignInCommand(Email, Password, "203.0.113.7", App.CodeFor(secret)))).ShouldSucceed();
        signedIn.SecondFactorRequired.ShouldBeFalse();
        (await App.ConfirmSessionAsync(signedIn.SessionId)).ShouldNotBeNull();
        var stored = await Stored(user.Id);
        stored.LockedUntil.ShouldBeNull("both factors lift the lockout");
        stored.FailedSignInCount.ShouldBe(0);
    }

    [Fact]
    public async Task Should_let_an_administrator_reset_anothers_mfa_end_their_sessions_and_record_it()
    {
        var (user, secret, _) = await Enrolled();
        var pending = await SignInAs();
        var session = (await App.Send(new VerifySecondFactorCommand(pending.SessionId, App.CodeFor(secret), null))).ShouldSucceed();
        App.Caller.ActAs(TestCurrentUser.Administrator);
        var mfa = (await App.Send(new GetUserMfaQuery(user.Id))).ShouldSucceed();
        mfa.Enabled.ShouldBeTrue();

        (await App.Send(new ResetUserMfaCommand(user.Id, mfa.Version))).ShouldSucceed().ShouldBeGreaterThan(mfa.Version);

        (await App.ConfirmSessionAsync(session.SessionId)).ShouldBeNull();
        (await App.Send(new GetUserMfaQuery(user.Id))).ShouldSucceed().ShouldSatisfyAllConditions(
            m => m.Enabled.ShouldBeFalse(), m => m.RecoveryCodesLeft.ShouldBe(0));
        var next = await SignInAs();
        next.SecondFactorRequired.ShouldBeFalse();
        next.MustEnrolMfa.ShouldBeTrue("an administrator whose MFA was reset sets it up again at once");
        (await App.ConfirmSessionAsync(next.SessionId))!.IsAdministrator.ShouldBeFalse();
        (await App.SecurityEntriesAsync(SecurityEventType.MfaReset)).ShouldHaveSingleItem()
            .ActorId.ShouldBe(TestCurrentUser.Administrator.UserId);
        App.Logs.Lines.ShouldContain(l => l.Contains("reset the MFA of user", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_refuse_to_reset_ones_own_mfa_here()
    {
        var (user, _, _) = await Enrolled();

        (await App.Send(new ResetUserMfaCommand(user.Id, user.Version))).ShouldFailWith<ForbiddenError, long>();
    }

    [Fact]
    public async Task Should_give_an_administrator_without_mfa_a_grace_period_then_hold_them_at_enrolment()
    {
        await App.CreateUserWithPassword(Email, Password, UserRole.Administrator);

        var first = await SignInAs();
        first.MustEnrolMfa.ShouldBeFalse();
        var caller = (await App.ConfirmSessionAsync(first.SessionId)).ShouldNotBeNull();
        caller.IsAdministrator.ShouldBeTrue();
        caller.MfaDeadline.ShouldBe(Now + MfaPolicy.Default.GracePeriod);

        App.Clock.Advance(MfaPolicy.Default.GracePeriod);
        var late = await SignInAs();

        late.MustEnrolMfa.ShouldBeTrue();
        var held = (await App.ConfirmSessionAsync(late.SessionId)).ShouldNotBeNull();
        held.IsAdministrator.ShouldBeFalse();
        App.Caller.ActAs(held);
        (await App.Send(new ListUsersQuery())).ShouldFailWith<ForbiddenError, Page<UserListItem>>();
        var enrolment = (await App.Send(new StartMfaEnrolmentQuery())).ShouldSucceed();
        (await App.Send(new EnableMfaCommand(enrolment.Secret, App.CodeFor(enrolment.Secret)))).ShouldSucceed();
        (await App.ConfirmSessionAsync(late.SessionId))!.IsAdministrator.ShouldBeTrue();
    }

    [Fact]
    public async Task Should_not_ask_members_for_mfa()
    {
        await App.CreateUserWithPassword(Email, Password, UserRole.Member);
        await SignInAs();
        App.Clock.Advance(TimeSpan.FromDays(30));

        var caller = (await App.ConfirmSessionAsync((await SignInAs()).SessionId)).ShouldNotBeNull();

        caller.MustEnrolMfa.ShouldBeFalse();
        caller.MfaDeadline.ShouldBeNull();
    }

    public sealed class OnSqlite() : MfaTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : MfaTests(DatabaseProvider.PostgreSQL);
}

using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>
/// Signing in to a locked account (ADR 0025): while an account is locked after wrong passwords, the password gets no verdict
/// (the right one and a wrong one get the same answer), guessing is limited per account whatever the address, and an
/// account with a second factor still gets in with its password and a code, so nobody can keep it locked.
/// </summary>
public abstract class LockedSignInTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Email = "ada@example.com";
    private const string Password = "a long enough password";

    private DateTime Now => App.Clock.GetUtcNow().UtcDateTime;

    private Task<Result<SignedIn>> SignIn(string password, string? code = null, string email = Email, string ip = "203.0.113.7") =>
        App.Send(new SignInCommand(email, password, ip, code)).AsTask();

    /// <summary>Someone else's guesses, each from a different address: the lockout does not care where they come from.</summary>
    private async Task LockOutAsync(string email = Email)
    {
        for (var attempt = 1; attempt <= SignInCommand.MaxFailedAttempts; attempt++)
        {
            (await SignIn($"attacker guess {attempt}", email: email, ip: $"198.51.100.{attempt}")).ShouldFailWith<SignInRefusedError, SignedIn>();
        }
    }

    private async Task<User> Stored(Guid id)
    {
        await using var db = await App.OpenDbAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id, TestContext.Current.CancellationToken);
    }

    private async Task<int> PendingSessions()
    {
        await using var db = await App.OpenDbAsync();
        return await db.Sessions.CountAsync(s => s.AwaitingSecondFactor, TestContext.Current.CancellationToken);
    }

    private string WrongCode(string secret) => App.CodeFor(secret) == "000000" ? "111111" : "000000";

    [Fact]
    public async Task Should_answer_the_right_password_as_a_wrong_one_while_an_account_with_mfa_is_locked()
    {
        var (user, secret, _) = await App.CreateUserWithMfa(Email, Password);
        await LockOutAsync();
        var lockedUntil = (await Stored(user.Id)).LockedUntil;
        lockedUntil.ShouldBe(Now + SignInCommand.LockoutDuration, "five wrong guesses from five addresses lock the account");

        var right = (await SignIn(Password)).ShouldFailWith<SignInRefusedError, SignedIn>();
        var wrong = (await SignIn("another wrong guess")).ShouldFailWith<SignInRefusedError, SignedIn>();
        var wrongWithCode = (await SignIn("a wrong guess with a code", WrongCode(secret))).ShouldFailWith<SignInRefusedError, SignedIn>();

        right.ShouldBe(wrong, "no password oracle while locked");
        wrongWithCode.ShouldBe(wrong);
        (await PendingSessions()).ShouldBe(0, "the right password alone leads to no code step");
        (await Stored(user.Id)).LockedUntil.ShouldBe(lockedUntil, "guesses while locked do not make the lockout longer");
        (await Stored(user.Id)).FailedMfaCount.ShouldBe(0, "a wrong code beside a wrong password is a guess at both: it counts toward nothing");
    }

    [Fact]
    public async Task Should_answer_a_locked_account_without_mfa_and_an_unknown_email_as_any_wrong_password()
    {
        await App.CreateUserWithPassword(Email, Password);
        var unlocked = (await SignIn("a wrong guess")).ShouldFailWith<SignInRefusedError, SignedIn>();
        await LockOutAsync();

        (await SignIn(Password)).ShouldFailWith<SignInRefusedError, SignedIn>().ShouldBe(unlocked);
        (await SignIn(Password, "123456")).ShouldFailWith<SignInRefusedError, SignedIn>().ShouldBe(unlocked);
        (await SignIn(Password, "123456", email: "nobody@example.com")).ShouldFailWith<SignInRefusedError, SignedIn>().ShouldBe(unlocked);
    }

    [Fact]
    public async Task Should_let_the_right_password_with_a_right_code_through_a_lockout_and_lift_it()
    {
        var (user, secret, _) = await App.CreateUserWithMfa(Email, Password);
        await LockOutAsync();

        var signedIn = (await SignIn(Password, App.CodeFor(secret))).ShouldSucceed();

        signedIn.SecondFactorRequired.ShouldBeFalse("both factors were given at once");
        (await App.ConfirmSessionAsync(signedIn.SessionId)).ShouldNotBeNull();
        var stored = await Stored(user.Id);
        stored.LockedUntil.ShouldBeNull("both factors lift the lockout (ADR 0009)");
        stored.FailedSignInCount.ShouldBe(0);
        (await App.SecurityEntriesAsync(SecurityEventType.SignInSucceeded)).ShouldContain(e => e.Detail != null && e.Detail.Contains("lockout lifted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_take_a_recovery_code_with_the_password_through_a_lockout()
    {
        var (_, _, codes) = await App.CreateUserWithMfa(Email, Password);
        await LockOutAsync();

        (await SignIn(Password, codes[0])).ShouldSucceed();

        (await App.SecurityEntriesAsync(SecurityEventType.RecoveryCodeUsed)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_leave_a_right_code_unspent_when_the_password_with_it_is_wrong()
    {
        var (_, secret, _) = await App.CreateUserWithMfa(Email, Password);
        await LockOutAsync();
        var code = App.CodeFor(secret);

        (await SignIn("a wrong guess with the right code", code)).ShouldFailWith<SignInRefusedError, SignedIn>();

        (await SignIn(Password, code)).ShouldSucceed();
    }

    [Fact]
    public async Task Should_give_someone_who_holds_a_right_code_five_guesses_at_the_password_per_lockout()
    {
        var (user, secret, codes) = await App.CreateUserWithMfa(Email, Password);
        await LockOutAsync();

        for (var attempt = 1; attempt <= SecondFactor.MaxFailedAttempts; attempt++)
        {
            (await SignIn($"guess {attempt} with a seen code", attempt % 2 == 0 ? codes[1] : App.CodeFor(secret), ip: $"192.0.2.{attempt}"))
                .ShouldFailWith<SignInRefusedError, SignedIn>();
        }

        (await Stored(user.Id)).MfaLockedUntil.ShouldBe(Now + SecondFactor.LockoutDuration, "each guess counted toward the code lockout");
        (await SignIn(Password, App.CodeFor(secret))).ShouldFailWith<SignInRefusedError, SignedIn>(); // the sixth try, right, gets no verdict either
        (await App.SecurityEntriesAsync(SecurityEventType.SecondFactorFailed)).Count.ShouldBe(SecondFactor.MaxFailedAttempts);
    }

    [Fact]
    public async Task Should_count_wrong_codes_with_the_right_password_toward_the_code_lockout_that_only_the_password_can_cause()
    {
        var (user, secret, _) = await App.CreateUserWithMfa(Email, Password);
        await LockOutAsync();
        for (var attempt = 1; attempt <= SecondFactor.MaxFailedAttempts * 2; attempt++)
        {
            (await SignIn($"wrong guess {attempt}", WrongCode(secret))).ShouldFailWith<SignInRefusedError, SignedIn>();
        }

        (await Stored(user.Id)).MfaLockedUntil.ShouldBeNull("without the password, codes are never tried");

        for (var attempt = 1; attempt <= SecondFactor.MaxFailedAttempts; attempt++)
        {
            (await SignIn(Password, WrongCode(secret))).ShouldFailWith<SignInRefusedError, SignedIn>().Message.ShouldBe(SignInRefusedError.Text);
        }

        (await Stored(user.Id)).MfaLockedUntil.ShouldBe(Now + SecondFactor.LockoutDuration);
        (await SignIn(Password, App.CodeFor(secret))).ShouldFailWith<SignInRefusedError, SignedIn>();
    }

    [Fact]
    public async Task Should_limit_guesses_per_account_whatever_address_they_come_from()
    {
        var user = await App.CreateUserWithPassword(Email, Password);

        await LockOutAsync();

        (await SignIn(Password, ip: "192.0.2.99")).ShouldFailWith<SignInRefusedError, SignedIn>();
        App.Clock.Advance(SignInCommand.LockoutDuration);
        (await SignIn(Password, ip: "192.0.2.99")).ShouldSucceed();
        (await Stored(user.Id)).FailedSignInCount.ShouldBe(0);
    }

    [Fact]
    public async Task Should_leave_an_older_hash_as_it_is_while_locked_so_the_right_password_costs_no_second_hash()
    {
        var (user, secret, _) = await App.CreateUserWithMfa(Email, Password);
        var legacy = new Microsoft.AspNetCore.Identity.PasswordHasher<object>(
            Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Identity.PasswordHasherOptions { IterationCount = 100_000 }))
            .HashPassword(new object(), Password);
        await using (var db = await App.OpenDbAsync())
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, legacy), TestContext.Current.CancellationToken);
        }

        await LockOutAsync();
        (await SignIn(Password)).ShouldFailWith<SignInRefusedError, SignedIn>();
        (await SignIn(Password, App.CodeFor(secret))).ShouldSucceed();

        (await Stored(user.Id)).PasswordHash.ShouldBe(legacy, "the upgrade waits for a sign-in while not locked");
    }

    [Fact]
    public async Task Should_sign_in_at_once_with_a_code_typed_beside_the_password_of_an_unlocked_account()
    {
        var (_, secret, _) = await App.CreateUserWithMfa(Email, Password);

        (await SignIn(Password, App.CodeFor(secret))).ShouldSucceed().SecondFactorRequired.ShouldBeFalse();
    }

    [Fact]
    public async Task Should_go_on_to_the_code_step_after_a_wrong_code_beside_the_right_password_of_an_unlocked_account()
    {
        var (user, secret, _) = await App.CreateUserWithMfa(Email, Password);

        var pending = (await SignIn(Password, WrongCode(secret))).ShouldSucceed();

        pending.SecondFactorRequired.ShouldBeTrue();
        (await Stored(user.Id)).FailedMfaCount.ShouldBe(1);
        (await App.Send(new VerifySecondFactorCommand(pending.SessionId, App.CodeFor(secret), null))).ShouldSucceed();
    }

    [Fact]
    public async Task Should_keep_an_account_without_mfa_locked_even_for_the_right_password()
    {
        var user = await App.CreateUserWithPassword(Email, Password);
        for (var attempt = 1; attempt <= SignInCommand.MaxFailedAttempts; attempt++)
        {
            await App.Send(new SignInCommand(user.Email, $"attacker guess {attempt}", null));
        }

        (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldFailWith<SignInRefusedError, SignedIn>();
    }

    public sealed class OnSqlite() : LockedSignInTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : LockedSignInTests(DatabaseProvider.PostgreSQL);
}

using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>
/// Changing one's own password: the current password is checked exactly as sign-in checks it, wrong guesses at it
/// count toward the sign-in lockout, and the new one may not be built from the user's own name or email.
/// </summary>
public abstract class ChangeOwnPasswordTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Password = "a long enough password";

    /// <summary>A user signed in with <see cref="Password"/>, and the app acting as that session.</summary>
    private async Task<(UserDetails User, SignedIn Session)> SignedIn(
        string email = "ada@example.com", UserRole role = UserRole.Member, string name = "Ada Lovelace")
    {
        var (user, session) = await App.CreateSignedInUser(email, Password, role, name);
        await App.ActAsConfirmedSessionAsync(session.SessionId);
        return (user, session);
    }

    [Fact]
    public async Task Should_refuse_a_wrong_current_password_on_its_field()
    {
        var (_, session) = await SignedIn(role: UserRole.Administrator);

        (await App.Send(new ChangeOwnPasswordCommand("not my password", "my own new passphrase")))
            .ShouldFailOnField(nameof(ChangeOwnPasswordCommand.CurrentPassword))
            .ShouldBe([ChangeOwnPasswordCommand.WrongCurrentPassword]);
        (await App.ConfirmSessionAsync(session.SessionId)).ShouldNotBeNull();
    }

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

        (await App.ConfirmSessionAsync(session.SessionId)).ShouldBeNull("the guessing session ended");
        (await App.Send(new ChangeOwnPasswordCommand(Password, "my new passphrase here"))).ShouldFailWith<ForbiddenError, SignedIn>();
        (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldFailWith<SignInRefusedError, SignedIn>();
        (await App.SecurityEntriesAsync(SecurityEventType.CurrentPasswordFailed)).Count.ShouldBeGreaterThanOrEqualTo(SignInCommand.MaxFailedAttempts);
        (await App.SecurityEntriesAsync(SecurityEventType.LockedOut)).ShouldContain(e => e.TargetId == user.Id);
        App.Logs.Lines.ShouldContain(l => l.Contains("Password change refused for user", StringComparison.Ordinal) && l.Contains("wrong current password", StringComparison.Ordinal));
        (await App.Send(new SignInCommand(user.Email, Password, null))).IsSuccess.ShouldBeFalse();
        App.Clock.Advance(SignInCommand.LockoutDuration);
        (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldSucceed();
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
        await App.ActAsConfirmedSessionAsync(session.SessionId);

        (await App.Send(new ChangeOwnPasswordCommand("            ", "a real passphrase at last"))).ShouldSucceed();
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

    public sealed class OnSqlite() : ChangeOwnPasswordTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ChangeOwnPasswordTests(DatabaseProvider.PostgreSQL);
}

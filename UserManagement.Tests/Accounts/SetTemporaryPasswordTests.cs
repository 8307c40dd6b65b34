using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>
/// An administrator sets a temporary password: the user must change it at the next sign-in, it stops working after three
/// days (which only someone who typed it learns), and it is recorded with who set it.
/// </summary>
public abstract class SetTemporaryPasswordTests(DatabaseProvider provider) : AppTests(provider)
{
    [Fact]
    public async Task Should_set_a_temporary_password_the_user_must_change_and_record_who_did_it()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");

        var version = (await App.Send(new SetTemporaryPasswordCommand(ada.Id, "temporary pass phrase", ada.Version))).ShouldSucceed();

        var stored = (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed();
        stored.MustChangePassword.ShouldBeTrue();
        stored.Version.ShouldBe(version);
        var recorded = (await App.SecurityEntriesAsync(SecurityEventType.PasswordSet)).ShouldHaveSingleItem();
        recorded.TargetId.ShouldBe(ada.Id);
        recorded.ActorId.ShouldBe(TestCurrentUser.Administrator.UserId);
    }

    [Fact]
    public async Task Should_let_a_temporary_password_sign_in_until_it_expires_after_three_days()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        (await App.Send(new SetTemporaryPasswordCommand(ada.Id, "temporary pass phrase", ada.Version))).ShouldSucceed();
        var setAt = App.Clock.GetUtcNow().UtcDateTime;
        (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed().TemporaryPasswordExpiresAt.ShouldBe(setAt + UserRules.TemporaryPasswordLifetime);
        UserRules.TemporaryPasswordLifetime.ShouldBe(TimeSpan.FromDays(3));

        App.Clock.Advance(UserRules.TemporaryPasswordLifetime - TimeSpan.FromMinutes(1));
        (await App.Send(new SignInCommand("ada@example.com", "temporary pass phrase", null))).ShouldSucceed().MustChangePassword.ShouldBeTrue();

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        (await App.Send(new SignInCommand("ada@example.com", "temporary pass phrase", null)))
            .ShouldFailWith<TemporaryPasswordExpiredError, SignedIn>().Message.ShouldBe(TemporaryPasswordExpiredError.Text);

        // Refused without counting as a wrong guess, and recorded.
        var stored = (await App.StoredUsersAsync()).ShouldHaveSingleItem();
        stored.FailedSignInCount.ShouldBe(0);
        (await App.SecurityEntriesAsync(SecurityEventType.SignInFailed)).Count(e => e.Detail == "temporary password expired").ShouldBe(1);
    }

    [Fact]
    public async Task Should_keep_the_expiry_secret_from_anyone_without_the_password()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        (await App.Send(new SetTemporaryPasswordCommand(ada.Id, "temporary pass phrase", ada.Version))).ShouldSucceed();
        App.Clock.Advance(UserRules.TemporaryPasswordLifetime);

        (await App.Send(new SignInCommand("ada@example.com", "a wrong guess of a password", null)))
            .ShouldFailWith<SignInRefusedError, SignedIn>();
    }

    [Fact]
    public async Task Should_drop_the_expiry_once_the_user_chose_a_password()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        (await App.Send(new SetTemporaryPasswordCommand(ada.Id, "temporary pass phrase", ada.Version))).ShouldSucceed();
        var session = (await App.Send(new SignInCommand("ada@example.com", "temporary pass phrase", null))).ShouldSucceed();
        App.Caller.ActAs(new Caller(ada.Id, session.SessionId, ada.Email, ada.Role, MustChangePassword: true));

        (await App.Send(new ChangeOwnPasswordCommand("temporary pass phrase", "my own long pass phrase"))).ShouldSucceed();
        App.Clock.Advance(UserRules.TemporaryPasswordLifetime * 2);

        (await App.Send(new SignInCommand("ada@example.com", "my own long pass phrase", null))).ShouldSucceed().MustChangePassword.ShouldBeFalse();
        (await App.StoredUsersAsync()).ShouldHaveSingleItem().TemporaryPasswordExpiresAt.ShouldBeNull();
    }

    [Fact]
    public async Task Should_refuse_a_temporary_password_equal_to_the_users_email_or_for_oneself()
    {
        var ada = await App.CreateUser("Ada", "ada.lovelace@example.com");

        (await App.Send(new SetTemporaryPasswordCommand(ada.Id, "ADA.LOVELACE@example.com", ada.Version)))
            .ShouldFailOnField(nameof(SetTemporaryPasswordCommand.Password)).ShouldBe([PasswordRules.SameAsEmail]);

        App.Caller.ActAs(ada with { Role = UserRole.Administrator });
        (await App.Send(new SetTemporaryPasswordCommand(ada.Id, "temporary pass phrase", ada.Version)))
            .ShouldFailWith<ForbiddenError, long>().Message.ShouldBe(SetTemporaryPasswordCommand.NotForYourself);
    }

    [Fact]
    public async Task Should_refuse_a_temporary_password_on_a_stale_version()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        (await App.Send(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, ada.Role, ada.Version))).ShouldSucceed();

        (await App.Send(new SetTemporaryPasswordCommand(ada.Id, "temporary pass phrase", ada.Version)))
            .ShouldFailWith<ConflictError<UserDetails>, long>();
    }

    public sealed class OnSqlite() : SetTemporaryPasswordTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : SetTemporaryPasswordTests(DatabaseProvider.PostgreSQL);
}

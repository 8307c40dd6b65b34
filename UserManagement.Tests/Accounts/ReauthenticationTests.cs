using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>Sensitive actions need a password or code entered within five minutes (ASVS 5.0 7.5.1), checked in the pipeline.</summary>
public abstract class ReauthenticationTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Email = "root@example.com";
    private const string Password = "a long enough password";

    private SignedIn _session = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await App.CreateUserWithPassword(Email, Password, UserRole.Administrator);
        await App.CreateUserWithPassword("second@example.com", Password, UserRole.Administrator);
        _session = (await App.Send(new SignInCommand(Email, Password, null))).ShouldSucceed();
        await ActAsSessionAsync();
    }

    /// <summary>The caller as the session validator sees it now: re-authentication is read from the session row.</summary>
    private async Task ActAsSessionAsync() =>
        await App.ActAsConfirmedSessionAsync(_session.SessionId);

    public static TheoryData<string> SensitiveMessages => new()
    {
        nameof(DeleteUserCommand), nameof(SetTemporaryPasswordCommand), nameof(EndUserSessionsCommand), nameof(ResetUserMfaCommand),
        nameof(EnableMfaCommand), "promote",
    };

    private async Task<IOutcome> SendSensitive(string name, UserDetails member) => name switch
    {
        nameof(DeleteUserCommand) => await App.Send(new DeleteUserCommand(member.Id, member.Version)),
        nameof(SetTemporaryPasswordCommand) => await App.Send(new SetTemporaryPasswordCommand(member.Id, "temporary pass phrase", member.Version)),
        nameof(EndUserSessionsCommand) => await App.Send(new EndUserSessionsCommand(member.Id)),
        nameof(ResetUserMfaCommand) => await App.Send(new ResetUserMfaCommand(member.Id, member.Version)),
        nameof(EnableMfaCommand) => await App.Send(new EnableMfaCommand("JBSWY3DPEHPK3PXP", "123456")),
        _ => await App.Send(new UpdateUserCommand(member.Id, member.Name, member.Email, UserRole.Administrator, member.Version)),
    };

    [Theory]
    [MemberData(nameof(SensitiveMessages))]
    public async Task Should_refuse_a_sensitive_action_five_minutes_after_the_last_password(string name)
    {
        var member = await App.CreateUser("Member", "member@example.com");
        App.Clock.Advance(Reauthentication.Window + TimeSpan.FromSeconds(1));
        await ActAsSessionAsync();

        (await SendSensitive(name, member)).Error.ShouldBeOfType<ReauthenticationRequiredError>(name);

        (await App.StoredUsersAsync()).Single(u => u.Id == member.Id).Version.ShouldBe(member.Version, "nothing changed");
        App.Logs.Lines.ShouldContain(l => l.Contains("re-authentication required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_allow_the_action_right_after_the_password_is_entered_again()
    {
        var member = await App.CreateUser("Member", "member@example.com");
        App.Clock.Advance(TimeSpan.FromMinutes(20));
        await ActAsSessionAsync();
        (await App.Send(new DeleteUserCommand(member.Id, member.Version))).ShouldFailWith<ReauthenticationRequiredError>();

        (await App.Send(new ReauthenticateCommand(Password))).ShouldSucceed();
        await ActAsSessionAsync();

        (await App.Send(new DeleteUserCommand(member.Id, member.Version))).ShouldSucceed();
        App.Clock.Advance(Reauthentication.Window + TimeSpan.FromSeconds(1));
        await ActAsSessionAsync();
        var other = await App.CreateUser("Other", "other@example.com");
        (await App.Send(new DeleteUserCommand(other.Id, other.Version))).ShouldFailWith<ReauthenticationRequiredError>();
    }

    [Fact]
    public async Task Should_take_an_authenticator_code_instead_of_the_password_but_only_once()
    {
        var enrolment = (await App.Send(new StartMfaEnrolmentQuery())).ShouldSucceed();
        (await App.Send(new EnableMfaCommand(enrolment.Secret, App.CodeFor(enrolment.Secret)))).ShouldSucceed();
        App.Clock.Advance(TimeSpan.FromMinutes(10));
        await ActAsSessionAsync();
        var code = App.CodeFor(enrolment.Secret);

        (await App.Send(new ReauthenticateCommand(code))).ShouldSucceed();
        (await App.Send(new ReauthenticateCommand(code))).ShouldFailWith<ValidationError>();
        await ActAsSessionAsync();
        App.Caller.Caller!.IsRecentlyAuthenticatedAt(App.Clock.GetUtcNow().UtcDateTime).ShouldBeTrue();
    }

    [Fact]
    public async Task Should_count_wrong_passwords_toward_the_lockout_and_end_the_session_when_it_locks()
    {
        for (var attempt = 1; attempt < SignInCommand.MaxFailedAttempts; attempt++)
        {
            (await App.Send(new ReauthenticateCommand($"wrong guess {attempt}"))).ShouldFailOnField(nameof(ReauthenticateCommand.Secret))
                .ShouldBe([ReauthenticateCommand.Wrong]);
        }

        (await App.Send(new ReauthenticateCommand("the last wrong guess"))).ShouldFailWith<ForbiddenError>().Message.ShouldBe(ReauthenticateCommand.Locked);

        (await App.ConfirmSessionAsync(_session.SessionId)).ShouldBeNull();
        (await App.SecurityEntriesAsync(SecurityEventType.ReauthenticationFailed)).Count.ShouldBe(SignInCommand.MaxFailedAttempts);
    }

    [Fact]
    public async Task Should_not_ask_again_to_rename_an_administrator()
    {
        var second = (await App.Send(new ListUsersQuery(Search: "second"))).ShouldSucceed().Items.Single();
        App.Clock.Advance(TimeSpan.FromMinutes(20));
        await ActAsSessionAsync();

        (await App.Send(new UpdateUserCommand(second.Id, "Second admin", second.Email, UserRole.Administrator, second.Version))).ShouldSucceed();
    }

    public sealed class OnSqlite() : ReauthenticationTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ReauthenticationTests(DatabaseProvider.PostgreSQL);
}

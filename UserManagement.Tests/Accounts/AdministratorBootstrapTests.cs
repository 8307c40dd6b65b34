using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

[OneProvider("Opens the SQLite file behind the app's back.")]
public sealed class AdministratorBootstrapTests : AppTests
{
    private readonly LogCapture _logs = new();

    private AdministratorBootstrap Bootstrap() => new(
        App.Get<IAppDbContextFactory>(), App.Get<IPasswordHasher>(), App.Clock, _logs.CreateLogger<AdministratorBootstrap>());

    [Fact]
    public async Task Should_create_the_configured_administrator_who_must_change_the_configured_password_before_it_expires()
    {
        var outcome = await Bootstrap().EnsureAdministratorAsync("root@example.com", "configured admin passphrase", TestContext.Current.CancellationToken);

        outcome.ShouldBe(new BootstrapOutcome(true, "root@example.com", null));
        var signedIn = (await App.Send(new SignInCommand("root@example.com", "configured admin passphrase", null))).ShouldSucceed();
        signedIn.Role.ShouldBe(UserRole.Administrator);
        signedIn.MustChangePassword.ShouldBeTrue("a password from configuration is a first password, changed at the first sign-in");

        App.Clock.Advance(UserRules.TemporaryPasswordLifetime);
        (await App.Send(new SignInCommand("root@example.com", "configured admin passphrase", null)))
            .ShouldFailWith<TemporaryPasswordExpiredError, SignedIn>();
        (await Bootstrap().EnsureAdministratorAsync("root@example.com", "configured admin passphrase", TestContext.Current.CancellationToken))
            .Created.ShouldBeTrue("an expired first password is set up afresh at the next start");
    }

    [Fact]
    public async Task Should_generate_a_one_time_password_that_must_be_changed_when_nothing_is_configured()
    {
        var outcome = await Bootstrap().EnsureAdministratorAsync(null, null, TestContext.Current.CancellationToken);

        outcome.Created.ShouldBeTrue();
        outcome.Email.ShouldBe(AdministratorBootstrap.DefaultEmail);
        outcome.OneTimePassword.ShouldNotBeNull().Length.ShouldBe(20);
        var signedIn = (await App.Send(new SignInCommand(AdministratorBootstrap.DefaultEmail, outcome.OneTimePassword!, null))).ShouldSucceed();
        signedIn.MustChangePassword.ShouldBeTrue();
        _logs.Lines.ShouldNotBeEmpty();
        _logs.Lines.ShouldAllBe(line => !line.Contains(outcome.OneTimePassword!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_issue_a_new_one_time_password_when_the_first_expired_unused()
    {
        var first = await Bootstrap().EnsureAdministratorAsync(null, null, TestContext.Current.CancellationToken);
        App.Clock.Advance(UserRules.TemporaryPasswordLifetime - TimeSpan.FromMinutes(1));
        (await Bootstrap().EnsureAdministratorAsync(null, null, TestContext.Current.CancellationToken)).Created.ShouldBeFalse();

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Bootstrap().EnsureAdministratorAsync(null, null, TestContext.Current.CancellationToken);

        second.Created.ShouldBeTrue();
        second.Email.ShouldBe(first.Email);
        second.OneTimePassword.ShouldNotBeNull().ShouldNotBe(first.OneTimePassword);
        (await App.StoredUsersAsync()).ShouldHaveSingleItem();
        (await App.Send(new SignInCommand(AdministratorBootstrap.DefaultEmail, first.OneTimePassword!, null))).ShouldFailWith<SignInRefusedError, SignedIn>();
        (await App.Send(new SignInCommand(AdministratorBootstrap.DefaultEmail, second.OneTimePassword!, null))).ShouldSucceed().MustChangePassword.ShouldBeTrue();
    }

    // The first administrator has nobody to unlock it, so it gets a second factor at once.
    [Fact]
    public async Task Should_hold_the_first_administrator_at_mfa_enrolment_right_after_it_chose_its_password()
    {
        await Bootstrap().EnsureAdministratorAsync("root@example.com", "configured admin passphrase", TestContext.Current.CancellationToken);
        var first = (await App.Send(new SignInCommand("root@example.com", "configured admin passphrase", null))).ShouldSucceed();
        first.MustChangePassword.ShouldBeTrue();
        App.Caller.ActAsSession(App.Get<SessionValidator>(), first.SessionId);

        var changed = (await App.Send(new ChangeOwnPasswordCommand("configured admin passphrase", "the root's very own phrase"))).ShouldSucceed();

        changed.MustEnrolMfa.ShouldBeTrue("no grace period for the first administrator");
        App.Caller.ActAsSession(App.Get<SessionValidator>(), changed.SessionId);
        (await App.Send(new ListUsersQuery())).ShouldFailWith<ForbiddenError, Page<UserListItem>>();
        var enrolment = (await App.Send(new StartMfaEnrolmentQuery())).ShouldSucceed();
        (await App.Send(new EnableMfaCommand(enrolment.Secret, App.CodeFor(enrolment.Secret)))).ShouldSucceed();
        (await App.Send(new ListUsersQuery())).ShouldSucceed();
    }

    [Fact]
    public async Task Should_let_the_first_administrator_through_a_lockout_with_its_password_and_code_once_enrolled()
    {
        await Bootstrap().EnsureAdministratorAsync("root@example.com", "configured admin passphrase", TestContext.Current.CancellationToken);
        var first = (await App.Send(new SignInCommand("root@example.com", "configured admin passphrase", null))).ShouldSucceed();
        App.Caller.ActAsSession(App.Get<SessionValidator>(), first.SessionId);
        var changed = (await App.Send(new ChangeOwnPasswordCommand("configured admin passphrase", "the root's very own phrase"))).ShouldSucceed();
        App.Caller.ActAsSession(App.Get<SessionValidator>(), changed.SessionId);
        var enrolment = (await App.Send(new StartMfaEnrolmentQuery())).ShouldSucceed();
        (await App.Send(new EnableMfaCommand(enrolment.Secret, App.CodeFor(enrolment.Secret)))).ShouldSucceed();
        App.Clock.Advance(TimeSpan.FromSeconds(30));

        // Anyone who knows the email can lock it, again and again; the password with a code still gets in each time.
        for (var round = 0; round < 3; round++)
        {
            for (var attempt = 1; attempt <= SignInCommand.MaxFailedAttempts; attempt++)
            {
                (await App.Send(new SignInCommand("root@example.com", $"guess {round}.{attempt}", $"198.51.100.{attempt}"))).ShouldFailWith<SignInRefusedError, SignedIn>();
            }

            (await App.Send(new SignInCommand("root@example.com", "the root's very own phrase", null))).ShouldFailWith<SignInRefusedError, SignedIn>();
            (await App.Send(new SignInCommand("root@example.com", "the root's very own phrase", null, App.CodeFor(enrolment.Secret)))).ShouldSucceed()
                .MustEnrolMfa.ShouldBeFalse();
            App.Clock.Advance(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Should_let_no_guessing_keep_the_first_administrator_from_signing_in_with_its_generated_password()
    {
        var outcome = await Bootstrap().EnsureAdministratorAsync(null, null, TestContext.Current.CancellationToken);
        for (var attempt = 1; attempt <= SignInCommand.MaxFailedAttempts * 4; attempt++)
        {
            (await App.Send(new SignInCommand(AdministratorBootstrap.DefaultEmail, $"guess {attempt}", $"198.51.100.{attempt}")))
                .ShouldFailWith<SignInRefusedError, SignedIn>();
        }

        var stored = (await App.StoredUsersAsync()).ShouldHaveSingleItem();
        stored.LockedUntil.ShouldBeNull("116 random bits cannot be guessed: wrong guesses at them lock nothing");
        var first = (await App.Send(new SignInCommand(AdministratorBootstrap.DefaultEmail, outcome.OneTimePassword!, null))).ShouldSucceed();

        // Its own password, once chosen, is guarded by the lockout like any other.
        App.Caller.ActAsSession(App.Get<SessionValidator>(), first.SessionId);
        (await App.Send(new ChangeOwnPasswordCommand(outcome.OneTimePassword!, "the root's very own phrase"))).ShouldSucceed();
        for (var attempt = 1; attempt <= SignInCommand.MaxFailedAttempts; attempt++)
        {
            await App.Send(new SignInCommand(AdministratorBootstrap.DefaultEmail, $"later guess {attempt}", null));
        }

        (await App.StoredUsersAsync()).ShouldHaveSingleItem().LockedUntil.ShouldNotBeNull();
    }

    [Fact]
    public async Task Should_lock_a_configured_first_password_after_five_wrong_guesses_like_any_chosen_password()
    {
        await Bootstrap().EnsureAdministratorAsync("root@example.com", "configured admin passphrase", TestContext.Current.CancellationToken);
        for (var attempt = 1; attempt <= SignInCommand.MaxFailedAttempts; attempt++)
        {
            await App.Send(new SignInCommand("root@example.com", $"guess {attempt}", null));
        }

        (await App.StoredUsersAsync()).ShouldHaveSingleItem().LockedUntil.ShouldNotBeNull("a person chose it: it can be guessed");
    }

    [Fact]
    public async Task Should_do_nothing_when_an_active_administrator_can_sign_in()
    {
        await App.CreateUserWithPassword("boss@example.com", "the boss passphrase", UserRole.Administrator);

        (await Bootstrap().EnsureAdministratorAsync(null, null, TestContext.Current.CancellationToken))
            .ShouldBe(new BootstrapOutcome(false, null, null));
        (await App.StoredUsersAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_promote_and_reactivate_an_existing_user_with_the_configured_email()
    {
        var old = await App.CreateUser("Old Root", "root@example.com");
        (await App.Send(new SetUserStatusCommand(old.Id, UserStatus.Disabled, old.Version))).ShouldSucceed();

        await Bootstrap().EnsureAdministratorAsync("ROOT@example.com", "configured admin passphrase", TestContext.Current.CancellationToken);

        var stored = (await App.StoredUsersAsync()).ShouldHaveSingleItem();
        stored.Role.ShouldBe(UserRole.Administrator);
        stored.Status.ShouldBe(UserStatus.Active);
    }

    [Theory]
    [InlineData("letmein")]
    [InlineData("password1234")]
    public async Task Should_refuse_to_start_with_a_weak_configured_password(string password)
    {
        var error = await Should.ThrowAsync<InvalidOperationException>(() =>
            Bootstrap().EnsureAdministratorAsync("root@example.com", password, TestContext.Current.CancellationToken));

        error.Message.ShouldContain("Bootstrap:AdminPassword");
        error.Message.ShouldNotContain(password);
        (await App.StoredUsersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_answer_the_start_up_check_from_the_index_of_users_with_a_password_without_scanning_users()
    {
        await using var db = await App.OpenDbAsync();
        var sql = db.Users.Where(AdministratorBootstrap.CanSignInAsAdministrator(App.Clock.GetUtcNow().UtcDateTime)).Select(u => u.Id).ToQueryString();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var explain = connection.CreateCommand();
        // The parameters are declared in front of the SQL EF prints; EXPLAIN needs only the statement.
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..];
        foreach (var name in System.Text.RegularExpressions.Regex.Matches(sql, "@[A-Za-z_0-9]+").Select(m => m.Value).Distinct())
        {
            explain.Parameters.AddWithValue(name, DateTime.UtcNow);
        }

        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                plan.Add(reader.GetString(3));
            }
        }

        plan.ShouldContain(step => step.Contains(Infrastructure.Configurations.UserConfiguration.UsersWithPasswordIndex, StringComparison.Ordinal), string.Join(" / ", plan));
        plan.ShouldNotContain(step => step.StartsWith("SCAN", StringComparison.Ordinal) && !step.Contains("USING", StringComparison.Ordinal), string.Join(" / ", plan));
    }
}

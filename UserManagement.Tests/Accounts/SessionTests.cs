using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging.Abstractions;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;
using UserManagement.Web.Security;

namespace UserManagement.Tests.Accounts;

/// <summary>A session ends on the server: sign-out, disabling, deleting, demoting and password changes all end it.</summary>
public abstract class SessionTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Password = "a long enough password";

    private Task<(UserDetails User, SignedIn Session)> SignedInUser(UserRole role = UserRole.Administrator, string email = "ada@example.com") =>
        App.CreateSignedInUser(email, Password, role);

    [Fact]
    public async Task Should_end_the_session_on_sign_out_so_a_replayed_cookie_fails()
    {
        var (user, session) = await SignedInUser();
        App.Caller.ActAs(new Caller(user.Id, session.SessionId, user.Email, user.Role, false));

        (await App.Send(new SignOutCommand())).ShouldSucceed();

        (await App.ConfirmSessionAsync(session.SessionId)).ShouldBeNull();
    }

    [Fact]
    public async Task Should_end_the_users_sessions_when_they_are_disabled()
    {
        var (user, session) = await SignedInUser(UserRole.Member);

        (await App.Send(new SetUserStatusCommand(user.Id, UserStatus.Disabled, user.Version))).ShouldSucceed();

        (await App.ConfirmSessionAsync(session.SessionId)).ShouldBeNull();
    }

    [Fact]
    public async Task Should_end_the_users_sessions_when_they_are_demoted()
    {
        var (user, session) = await SignedInUser(UserRole.Administrator);
        await SignedInUser(UserRole.Administrator, "grace@example.com");

        (await App.Send(new UpdateUserCommand(user.Id, user.Name, user.Email, UserRole.Member, user.Version))).ShouldSucceed();

        (await App.ConfirmSessionAsync(session.SessionId)).ShouldBeNull();
    }

    [Fact]
    public async Task Should_end_the_users_sessions_when_they_are_deleted()
    {
        var (user, session) = await SignedInUser(UserRole.Member);

        (await App.Send(new DeleteUserCommand(user.Id, user.Version))).ShouldSucceed();

        (await App.ConfirmSessionAsync(session.SessionId)).ShouldBeNull();
    }

    [Fact]
    public async Task Should_end_the_users_sessions_when_an_administrator_sets_a_temporary_password()
    {
        var (user, session) = await SignedInUser(UserRole.Member);

        (await App.Send(new SetTemporaryPasswordCommand(user.Id, "temporary pass phrase", user.Version))).ShouldSucceed();

        (await App.ConfirmSessionAsync(session.SessionId)).ShouldBeNull();
        var next = (await App.Send(new SignInCommand(user.Email, "temporary pass phrase", null))).ShouldSucceed();
        next.MustChangePassword.ShouldBeTrue();
        (await App.ConfirmSessionAsync(next.SessionId))!.IsAdministrator.ShouldBeFalse();
    }

    [Fact]
    public async Task Should_end_the_other_sessions_and_start_a_new_one_when_users_change_their_own_password()
    {
        var (user, first) = await SignedInUser();
        var second = (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldSucceed();
        App.Caller.ActAs(new Caller(user.Id, first.SessionId, user.Email, user.Role, false));

        var renewed = (await App.Send(new ChangeOwnPasswordCommand(Password, "my own new passphrase"))).ShouldSucceed();

        (await App.ConfirmSessionAsync(first.SessionId)).ShouldBeNull();
        (await App.ConfirmSessionAsync(second.SessionId)).ShouldBeNull();
        (await App.ConfirmSessionAsync(renewed.SessionId)).ShouldNotBeNull();
        (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldFailWith<SignInRefusedError, SignedIn>();
        (await App.Send(new SignInCommand(user.Email, "my own new passphrase", null))).ShouldSucceed();
    }

    [Fact]
    public async Task Should_let_an_administrator_sign_a_user_out_everywhere()
    {
        var (user, first) = await SignedInUser(UserRole.Member);
        var second = (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldSucceed();
        var (_, bystander) = await SignedInUser(UserRole.Member, "bystander@example.com");

        (await App.Send(new EndUserSessionsCommand(user.Id))).ShouldSucceed().ShouldBe(2);

        (await App.ConfirmSessionAsync(first.SessionId)).ShouldBeNull();
        (await App.ConfirmSessionAsync(second.SessionId)).ShouldBeNull();
        (await App.ConfirmSessionAsync(bystander.SessionId)).ShouldNotBeNull();
        (await App.Send(new SignInCommand(user.Email, Password, null))).ShouldSucceed();
        (await App.Send(new EndUserSessionsCommand(Guid.CreateVersion7()))).ShouldFailWith<NotFoundError, int>();
    }

    [Fact]
    public async Task Should_expire_a_session_12_hours_after_sign_in_however_active()
    {
        var (_, session) = await SignedInUser();

        // Active every 29 minutes (never idle) for 11 h 36 min: still good.
        for (var step = 0; step < 24; step++)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(29));
            (await App.ConfirmSessionAsync(session.SessionId)).ShouldNotBeNull($"after {(step + 1) * 29} minutes");
        }

        App.Clock.Advance(TimeSpan.FromMinutes(29));
        (await App.ConfirmSessionAsync(session.SessionId)).ShouldBeNull("12 hours have passed since sign-in");
    }

    [Fact]
    public async Task Should_end_a_session_idle_for_30_minutes_but_keep_an_active_one()
    {
        var (_, active) = await SignedInUser();
        var (_, idle) = await SignedInUser(UserRole.Member, "idle@example.com");

        App.Clock.Advance(TimeSpan.FromMinutes(20));
        (await App.ConfirmSessionAsync(active.SessionId)).ShouldNotBeNull();
        App.Clock.Advance(TimeSpan.FromMinutes(20));

        (await App.ConfirmSessionAsync(active.SessionId)).ShouldNotBeNull();
        (await App.ConfirmSessionAsync(idle.SessionId)).ShouldBeNull();
    }

    [Fact]
    public async Task Should_sign_an_open_circuit_out_within_60_seconds_of_its_session_ending()
    {
        var (user, session) = await SignedInUser(UserRole.Member);
        var clock = new TimerCountingClock(App.Clock);
        using var provider = new SessionAuthenticationStateProvider(
            App.Get<SessionValidator>(), clock, NullLogger<SessionAuthenticationStateProvider>.Instance);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(AppClaims.For(session))));
        var signedOut = new TaskCompletionSource<ClaimsPrincipal>(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.AuthenticationStateChanged += async state => signedOut.TrySetResult((await state).User);
        await clock.NextTimerAsync(1).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        (await App.Send(new SetUserStatusCommand(user.Id, UserStatus.Disabled, user.Version))).ShouldSucceed();
        App.Clock.Advance(SessionAuthenticationStateProvider.RevalidationInterval - TimeSpan.FromSeconds(1));
        clock.Fired.ShouldBe(0, "the circuit is re-checked every 30 s, not before");

        App.Clock.Advance(TimeSpan.FromSeconds(1));
        clock.Fired.ShouldBe(1);

        var principal = await signedOut.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        principal.Identity?.IsAuthenticated.ShouldNotBe(true);
        (await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated.ShouldNotBe(true);
        SessionAuthenticationStateProvider.RevalidationInterval.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Should_keep_an_open_circuit_signed_in_while_its_session_is_good()
    {
        var (_, session) = await SignedInUser(UserRole.Member);
        var clock = new TimerCountingClock(App.Clock);
        using var provider = new SessionAuthenticationStateProvider(
            App.Get<SessionValidator>(), clock, NullLogger<SessionAuthenticationStateProvider>.Instance);
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(AppClaims.For(session))));

        // Each re-check that finds the session good waits again: four re-checks, then a fifth wait.
        for (var recheck = 1; recheck <= 4; recheck++)
        {
            await clock.NextTimerAsync(recheck).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            App.Clock.Advance(SessionAuthenticationStateProvider.RevalidationInterval);
        }

        await clock.NextTimerAsync(5).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        (await provider.GetAuthenticationStateAsync()).User.Identity!.IsAuthenticated.ShouldBeTrue();
    }

    public sealed class OnSqlite() : SessionTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : SessionTests(DatabaseProvider.PostgreSQL);
}

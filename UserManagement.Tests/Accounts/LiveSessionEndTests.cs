using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;
using UserManagement.Web.Live;
using UserManagement.Web.Security;

namespace UserManagement.Tests.Accounts;

/// <summary>
/// A colleague's change that ends a session ends its open circuit as soon as the event reaches it, the 30 s re-check
/// staying the fallback; and what a live update sends never counts as the person's activity (ADR 0016).
/// </summary>
public abstract class LiveSessionEndTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Password = "a long enough password";

    private Task<(UserDetails User, SignedIn Session)> SignedInUser(UserRole role = UserRole.Administrator, string email = "ada@example.com") =>
        App.CreateSignedInUser(email, Password, role);

    private SessionAuthenticationStateProvider Circuit(SignedIn session, TaskCompletionSource<ClaimsPrincipal> signedOut)
    {
        var provider = new SessionAuthenticationStateProvider(
            App.Get<SessionValidator>(), App.Clock, NullLogger<SessionAuthenticationStateProvider>.Instance, App.Get<UserChangeBroadcast>());
        provider.AuthenticationStateChanged += async state =>
        {
            var user = (await state).User;
            if (user.Identity?.IsAuthenticated != true)
            {
                signedOut.TrySetResult(user);
            }
        };
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(AppClaims.For(session))));
        return provider;
    }

    private static TaskCompletionSource<ClaimsPrincipal> SignedOut() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<DateTime> LastSeenAt(Guid sessionId)
    {
        await using var db = await App.OpenDbAsync();
        return await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId).Select(s => s.LastSeenAt).SingleAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Until the provider has subscribed (it does so once it has read its principal), events would pass it by.</summary>
    private async Task SubscribedAsync(int listeners)
    {
        var broadcast = App.Get<UserChangeBroadcast>();
        await Condition.WaitUntilAsync(() => broadcast.ListenerCount == listeners, TimeSpan.FromSeconds(10), $"{listeners} listeners");
    }

    [Fact]
    public async Task Should_sign_the_circuit_out_as_soon_as_a_colleague_disables_the_user_without_waiting_for_the_recheck()
    {
        var (user, session) = await SignedInUser(UserRole.Member);
        var signedOut = SignedOut();
        using var provider = Circuit(session, signedOut);
        await SubscribedAsync(1);

        await App.SendAsAna(new SetUserStatusCommand(user.Id, UserStatus.Disabled, user.Version));

        signedOut.Task.IsCompleted.ShouldBeTrue("the event was handled before the command returned; no time passed");
        (await provider.GetAuthenticationStateAsync()).User.Identity?.IsAuthenticated.ShouldNotBe(true);
    }

    [Fact]
    public async Task Should_sign_the_circuit_out_as_soon_as_a_colleague_signs_the_user_out_everywhere()
    {
        var (user, session) = await SignedInUser();
        var signedOut = SignedOut();
        using var provider = Circuit(session, signedOut);
        await SubscribedAsync(1);

        await App.SendAsAna(new EndUserSessionsCommand(user.Id));

        signedOut.Task.IsCompleted.ShouldBeTrue();
    }

    [Fact]
    public async Task Should_keep_the_circuit_signed_in_through_changes_that_leave_its_session_good_without_counting_them_as_activity()
    {
        var (user, session) = await SignedInUser();
        var signedOut = SignedOut();
        using var provider = Circuit(session, signedOut);
        await SubscribedAsync(1);
        var seen = await LastSeenAt(session.SessionId);
        App.Clock.Advance(TimeSpan.FromMinutes(10));

        await App.SendAsAna(new UpdateUserCommand(user.Id, "Ada King", user.Email, user.Role, user.Version));
        await App.SendAsAna(new EndUserSessionsCommand((await App.CreateUserWithPassword("other@example.com", Password)).Id));

        signedOut.Task.IsCompleted.ShouldBeFalse();
        (await LastSeenAt(session.SessionId)).ShouldBe(seen);
    }

    [Fact]
    public async Task Should_let_go_of_the_broadcast_when_the_circuit_ends()
    {
        var (_, session) = await SignedInUser();
        var provider = Circuit(session, SignedOut());
        await SubscribedAsync(1);

        provider.Dispose();

        await SubscribedAsync(0);
        App.Get<UserChangeBroadcast>().ListenerCount.ShouldBe(0);
    }

    [Fact]
    public async Task Should_not_count_a_live_refresh_as_activity_so_a_page_colleagues_keep_changing_still_idles_out()
    {
        var (_, session) = await SignedInUser();
        var signedOut = SignedOut();
        using var provider = Circuit(session, signedOut);
        var caller = new CurrentUser(provider, new HttpContextAccessor(), App.Get<SessionValidator>());
        var seen = await LastSeenAt(session.SessionId);

        for (var minutes = 5; minutes < 30; minutes += 5)
        {
            App.Clock.Advance(TimeSpan.FromMinutes(5));
            using (PassiveRefresh.Begin())
            {
                (await caller.GetCallerAsync(TestContext.Current.CancellationToken)).ShouldNotBeNull();
            }
        }

        (await LastSeenAt(session.SessionId)).ShouldBe(seen);
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        using (PassiveRefresh.Begin())
        {
            (await caller.GetCallerAsync(TestContext.Current.CancellationToken)).ShouldBeNull("30 minutes without the person doing anything");
        }
    }

    [Fact]
    public async Task Should_count_what_the_person_sends_as_activity()
    {
        var (_, session) = await SignedInUser();
        using var provider = Circuit(session, SignedOut());
        var caller = new CurrentUser(provider, new HttpContextAccessor(), App.Get<SessionValidator>());
        var seen = await LastSeenAt(session.SessionId);
        App.Clock.Advance(TimeSpan.FromMinutes(5));

        (await caller.GetCallerAsync(TestContext.Current.CancellationToken)).ShouldNotBeNull();

        (await LastSeenAt(session.SessionId)).ShouldBeGreaterThan(seen);
    }

    private int SessionQueries() => App.Commands.Commands.Count(c => c.Sql.Contains("FROM \"UserSessions\"", StringComparison.Ordinal));

    [Fact]
    public async Task Should_share_a_few_seconds_answer_between_live_refreshes_and_forget_it_when_the_user_changes()
    {
        var (user, session) = await SignedInUser(UserRole.Member);
        using var provider = Circuit(session, SignedOut());
        var caller = new CurrentUser(provider, new HttpContextAccessor(), App.Get<SessionValidator>(), App.Get<LiveSessionChecks>());
        App.Commands.Clear();

        using (PassiveRefresh.Begin())
        {
            (await caller.GetCallerAsync(TestContext.Current.CancellationToken)).ShouldNotBeNull();
            (await caller.GetCallerAsync(TestContext.Current.CancellationToken)).ShouldNotBeNull();
        }

        SessionQueries().ShouldBe(1, "the second live refresh took the first one's answer");
        (await caller.GetCallerAsync(TestContext.Current.CancellationToken)).ShouldNotBeNull();
        SessionQueries().ShouldBe(2, "what the person sends is confirmed every time");

        await App.SendAsAna(new SetUserStatusCommand(user.Id, UserStatus.Disabled, user.Version));
        using (PassiveRefresh.Begin())
        {
            (await caller.GetCallerAsync(TestContext.Current.CancellationToken)).ShouldBeNull("the change forgot the remembered answer at once");
        }
    }

    [Fact]
    public async Task Should_ask_the_database_again_once_the_remembered_answer_is_a_few_seconds_old()
    {
        var (_, session) = await SignedInUser();
        using var provider = Circuit(session, SignedOut());
        var caller = new CurrentUser(provider, new HttpContextAccessor(), App.Get<SessionValidator>(), App.Get<LiveSessionChecks>());
        using (PassiveRefresh.Begin())
        {
            (await caller.GetCallerAsync(TestContext.Current.CancellationToken)).ShouldNotBeNull();
        }

        // Ended by a change no event announced (straight in the database): only the lifetime bounds it.
        await using (var db = await App.OpenDbAsync())
        {
            await db.Sessions.Where(s => s.Id == session.SessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, App.Clock.GetUtcNow().UtcDateTime), TestContext.Current.CancellationToken);
        }

        App.Clock.Advance(LiveSessionChecks.Lifetime);
        using (PassiveRefresh.Begin())
        {
            (await caller.GetCallerAsync(TestContext.Current.CancellationToken)).ShouldBeNull();
        }
    }

    /// <summary>The 30 s re-check is no activity: an unattended tab signs out once its session idled for 30 minutes.</summary>
    [Fact]
    public async Task Should_sign_out_an_open_circuit_after_30_minutes_without_activity_though_it_is_rechecked_every_30_seconds()
    {
        var clock = new TimerCountingClock(App.Clock);
        var (_, session) = await SignedInUser(UserRole.Member);
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
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(AppClaims.For(session))));

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

    public sealed class OnSqlite() : LiveSessionEndTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : LiveSessionEndTests(DatabaseProvider.PostgreSQL);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using UserManagement.Application.Accounts;
using UserManagement.Application.Users;
using UserManagement.Web.Live;
using UserManagement.Web.Security;

namespace UserManagement.Tests.Support;

/// <summary>
/// A real session of a real user, seen the way an open circuit sees it: its principal, the circuit's authentication
/// state (re-checked every 30 s on the app's clock, and at once when a change to its user arrives) and the app's own
/// <see cref="CurrentUser"/> over it, which decides what counts as the person's activity.
/// </summary>
public sealed class SignedInCircuit : IDisposable
{
    public const string Password = "a long enough password";

    private readonly TestApp _app;
    private readonly Lazy<SessionAuthenticationStateProvider> _authentication;
    private readonly Lazy<CurrentUser> _currentUser;

    private SignedInCircuit(TestApp app, UserDetails user, SignedIn session)
    {
        _app = app;
        User = user;
        Session = session;
        Principal = AppClaims.For(session);
        _authentication = new(() =>
        {
            var provider = new SessionAuthenticationStateProvider(
                app.Get<SessionValidator>(), app.Clock, NullLogger<SessionAuthenticationStateProvider>.Instance, app.Get<UserChangeBroadcast>());
            provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(Principal)));
            return provider;
        });
        _currentUser = new(() => new CurrentUser(Authentication, new HttpContextAccessor(), app.Get<SessionValidator>(), app.Get<LiveSessionChecks>()));
    }


    public UserDetails User { get; }

    public SignedIn Session { get; }

    /// <summary>The circuit's user as it connected (what a page's cascading authentication state starts with).</summary>
    public ClaimsPrincipal Principal { get; }

    /// <summary>The circuit's authentication state, started on first use (it then listens for changes to its user).</summary>
    public SessionAuthenticationStateProvider Authentication => _authentication.Value;

    public CurrentUser CurrentUser => _currentUser.Value;

    /// <summary>Creates the user, signs in with a password and opens the circuit.</summary>
    public static async Task<SignedInCircuit> StartAsync(
        TestApp app, string email, UserRole role = UserRole.Administrator, string name = "Circuit User")
    {
        ArgumentNullException.ThrowIfNull(app);
        var user = await app.CreateUserWithPassword(email, Password, role, name);
        var session = (await app.Send(new SignInCommand(email, Password, null))).ShouldSucceed();
        return new SignedInCircuit(app, user, session);
    }

    /// <summary>When the session last saw the person do something, as stored.</summary>
    public async Task<DateTime> LastSeenAtAsync()
    {
        await using var db = await _app.OpenDbAsync();
        return await db.Sessions.AsNoTracking().Where(s => s.Id == Session.SessionId).Select(s => s.LastSeenAt)
            .SingleAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>True while the session is good (asked without counting as activity).</summary>
    public async Task<bool> IsLiveAsync() =>
        await _app.Get<SessionValidator>().RecheckAsync(Session.SessionId, TestContext.Current.CancellationToken) is not null;

    public void Dispose()
    {
        if (_authentication.IsValueCreated)
        {
            _authentication.Value.Dispose();
        }
    }
}

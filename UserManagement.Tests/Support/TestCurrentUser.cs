using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Tests.Support;

/// <summary>
/// The caller in handler and component tests: an Administrator by default, switchable to anyone (or nobody).
/// Unless a test says otherwise, the caller re-authenticated just now (on the test's clock), so sensitive messages
/// pass. The real <c>CurrentUser</c>, which confirms sessions, has tests of its own.
/// </summary>
public sealed class TestCurrentUser(TimeProvider clock) : ICurrentUser
{
    public static readonly Caller Administrator =
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), "tester@example.com", UserRole.Administrator, MustChangePassword: false);

    private bool _recentlyAuthenticated = true;
    private Func<CancellationToken, Task<Caller?>>? _session;

    public Caller? Caller { get; private set; } = Administrator;

    public async ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default)
    {
        if (_session is not null)
        {
            return Caller = await _session(cancellationToken);
        }

        return Caller is not null && _recentlyAuthenticated && Caller.ReauthenticatedAt is null
            ? Caller with { ReauthenticatedAt = clock.GetUtcNow().UtcDateTime }
            : Caller;
    }

    public void ActAs(Caller? caller)
    {
        _session = null;
        Caller = caller;
    }

    /// <summary>From now on the caller is whoever the real session validator says the session is, on every message.</summary>
    public void ActAsSession(Application.Accounts.SessionValidator sessions, Guid sessionId) =>
        _session = cancellationToken => sessions.ConfirmAsync(sessionId, cancellationToken);

    /// <summary>
    /// From now on the caller is whoever <paramref name="circuit"/> says on every message: the app's own <c>CurrentUser</c>
    /// over a circuit's authentication state, so what counts as the person's activity is decided as in the app.
    /// </summary>
    public void ActAsCircuit(ICurrentUser circuit) => _session = async cancellationToken => await circuit.GetCallerAsync(cancellationToken);

    /// <summary>From now on the caller has not entered a password or code lately (as after five idle minutes).</summary>
    public void ActAsNotRecentlyAuthenticated() => _recentlyAuthenticated = false;

    /// <summary>Acts as the given stored user, as if signed in with a valid session.</summary>
    public void ActAs(UserDetails user, bool mustChangePassword = false) =>
        ActAs(new Caller(user.Id, Guid.CreateVersion7(), user.Email, user.Role, mustChangePassword));

    public void ActAsAnonymous() => ActAs(null);

    public void ActAsMember() =>
        ActAs(new Caller(Guid.CreateVersion7(), Guid.CreateVersion7(), "member@example.com", UserRole.Member, MustChangePassword: false));
}

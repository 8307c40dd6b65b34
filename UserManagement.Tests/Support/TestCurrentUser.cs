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

    public Caller? Caller { get; private set; } = Administrator;

    public ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Caller is not null && _recentlyAuthenticated && Caller.ReauthenticatedAt is null
            ? Caller with { ReauthenticatedAt = clock.GetUtcNow().UtcDateTime }
            : Caller);

    public void ActAs(Caller? caller) => Caller = caller;

    /// <summary>From now on the caller has not entered a password or code lately (as after five idle minutes).</summary>
    public void ActAsNotRecentlyAuthenticated() => _recentlyAuthenticated = false;

    /// <summary>Acts as the given stored user, as if signed in with a valid session.</summary>
    public void ActAs(UserDetails user, bool mustChangePassword = false) =>
        Caller = new Caller(user.Id, Guid.CreateVersion7(), user.Email, user.Role, mustChangePassword);

    public void ActAsAnonymous() => Caller = null;

    public void ActAsMember() =>
        Caller = new Caller(Guid.CreateVersion7(), Guid.CreateVersion7(), "member@example.com", UserRole.Member, MustChangePassword: false);
}

using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Web.Security;

/// <summary>
/// The caller of a message: the user of the circuit or page (from its authentication state) or of the HTTP
/// request (endpoints), with the session confirmed against the database on every call (a live refresh re-checks it without counting as
/// activity: <see cref="Live.PassiveRefresh"/>).
/// </summary>
public sealed class CurrentUser(
    AuthenticationStateProvider authentication, IHttpContextAccessor http, SessionValidator sessions, Live.LiveSessionChecks? liveChecks = null)
    : ICurrentUser
{
    public async ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default)
    {
        var sessionId = AppClaims.SessionIdOf(await PrincipalAsync());
        if (sessionId is null)
        {
            return null;
        }

        // A live refresh (someone else's change) is not the person's activity: it must not keep the session alive.
        // Many circuits refresh at once after one change: their re-checks share a few seconds' answer (LiveSessionChecks).
        if (Live.PassiveRefresh.IsActive)
        {
            return liveChecks is null
                ? await sessions.RecheckAsync(sessionId.Value, cancellationToken)
                : await liveChecks.RecheckAsync(sessionId.Value, () => sessions.RecheckAsync(sessionId.Value, cancellationToken));
        }

        return await sessions.ConfirmAsync(sessionId.Value, cancellationToken);
    }

    private async Task<ClaimsPrincipal?> PrincipalAsync() =>
        authentication is SessionAuthenticationStateProvider { HasState: true }
            ? (await authentication.GetAuthenticationStateAsync()).User
            : http.HttpContext?.User;
}

using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Web.Security;

/// <summary>
/// The caller of a message: the user of the circuit or page (from its authentication state) or of the HTTP
/// request (endpoints), with the session confirmed against the database on every call.
/// </summary>
public sealed class CurrentUser(
    AuthenticationStateProvider authentication, IHttpContextAccessor http, SessionValidator sessions) : ICurrentUser
{
    public async ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default)
    {
        var sessionId = AppClaims.SessionIdOf(await PrincipalAsync());
        return sessionId is null ? null : await sessions.ConfirmAsync(sessionId.Value, cancellationToken);
    }

    private async Task<ClaimsPrincipal?> PrincipalAsync() =>
        authentication is SessionAuthenticationStateProvider { HasState: true }
            ? (await authentication.GetAuthenticationStateAsync()).User
            : http.HttpContext?.User;
}

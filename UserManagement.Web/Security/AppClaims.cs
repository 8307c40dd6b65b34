using System.Security.Claims;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Web.Security;

/// <summary>
/// What the auth cookie holds. Only the session id matters: on every request the server rebuilds the rest from
/// the database (<see cref="SessionValidator"/>), so a role change or an ended session shows at once.
/// </summary>
public static class AppClaims
{
    public const string Scheme = "UserManagement";
    public const string SessionId = "um:sid";
    public const string CanAdminister = "um:admin";
    public const string MustChangePassword = "um:must_change_password";

    /// <summary>The policy on every admin page: a signed-in Administrator not held at a forced password change.</summary>
    public const string AdministratorPolicy = "Administrator";

    public static ClaimsPrincipal For(SignedIn signedIn) =>
        Build(signedIn.UserId, signedIn.SessionId, signedIn.Email, signedIn.Role, signedIn.MustChangePassword);

    public static ClaimsPrincipal For(Caller caller) =>
        Build(caller.UserId, caller.SessionId, caller.Email, caller.Role, caller.MustChangePassword);

    public static Guid? SessionIdOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(SessionId), out var id) ? id : null;

    private static ClaimsPrincipal Build(Guid userId, Guid sessionId, string email, UserRole role, bool mustChangePassword)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, userId.ToString()),
            new(ClaimTypes.Name, email),
            new(ClaimTypes.Role, role.ToString()),
            new(SessionId, sessionId.ToString()),
        ];
        if (mustChangePassword)
        {
            claims.Add(new Claim(MustChangePassword, "true"));
        }
        else if (role == UserRole.Administrator)
        {
            claims.Add(new Claim(CanAdminister, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}

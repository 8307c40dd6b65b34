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
    public const string MustEnrolMfa = "um:must_enrol_mfa";

    /// <summary>An administrator held until the session proves a passkey (Security:RequirePasskeyForAdministrators).</summary>
    public const string MustUsePasskey = "um:must_use_passkey";

    /// <summary>An administrator without MFA in the grace period: when it ends (round-trip "o" format, UTC).</summary>
    public const string MfaDeadline = "um:mfa_deadline";

    /// <summary>The short-lived scheme between the password and the authenticator code.</summary>
    public const string SecondFactorScheme = "UserManagement.SecondFactor";

    /// <summary>The policy on every admin page: a signed-in Administrator not held at a forced password change.</summary>
    public const string AdministratorPolicy = "Administrator";

    public static ClaimsPrincipal For(SignedIn signedIn) =>
        Build(new Caller(signedIn.UserId, signedIn.SessionId, signedIn.Email, signedIn.Role, signedIn.MustChangePassword)
        {
            MustEnrolMfa = signedIn.MustEnrolMfa,
        });

    public static ClaimsPrincipal For(Caller caller) => Build(caller);

    /// <summary>The principal of the second-factor cookie: only the waiting session's id.</summary>
    public static ClaimsPrincipal AwaitingSecondFactor(SignedIn signedIn) =>
        new(new ClaimsIdentity([new Claim(SessionId, signedIn.SessionId.ToString())], SecondFactorScheme));

    public static Guid? SessionIdOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(SessionId), out var id) ? id : null;

    private static ClaimsPrincipal Build(Caller caller)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, caller.UserId.ToString()),
            new(ClaimTypes.Name, caller.Email),
            new(ClaimTypes.Role, caller.Role.ToString()),
            new(SessionId, caller.SessionId.ToString()),
        ];
        if (caller.MustChangePassword)
        {
            claims.Add(new Claim(MustChangePassword, "true"));
        }

        if (caller.MustEnrolMfa)
        {
            claims.Add(new Claim(MustEnrolMfa, "true"));
        }
        else if (caller.MfaDeadline is { } deadline)
        {
            claims.Add(new Claim(MfaDeadline, deadline.ToString("o", System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (caller.MustUsePasskey)
        {
            claims.Add(new Claim(MustUsePasskey, "true"));
        }

        if (caller.IsAdministrator)
        {
            claims.Add(new Claim(CanAdminister, "true"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}

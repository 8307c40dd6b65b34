using UserManagement.Application.Users;

namespace UserManagement.Application.Common;

/// <summary>Who sends a message: a signed-in user whose session the server has just confirmed.</summary>
public sealed record Caller(Guid UserId, Guid SessionId, string Email, UserRole Role, bool MustChangePassword)
{
    /// <summary>When this session last proved who it is: sign-in, or a password or code entered again since.</summary>
    public DateTime? ReauthenticatedAt { get; init; }

    /// <summary>The user has an authenticator app set up.</summary>
    public bool MfaEnabled { get; init; }

    /// <summary>An administrator without MFA while it is required: when their grace period ends; null otherwise.</summary>
    public DateTime? MfaDeadline { get; init; }

    /// <summary>An administrator past the grace period without MFA: held at enrolment, like at a forced password change.</summary>
    public bool MustEnrolMfa { get; init; }

    /// <summary>A passkey was proved in this session (ADR 0027).</summary>
    public bool PasskeyVerified { get; init; }

    /// <summary>
    /// An administrator who must use a passkey (Security:RequirePasskeyForAdministrators) in a session that has not
    /// proved one: held, like at MFA enrolment, until it does.
    /// </summary>
    public bool MustUsePasskey { get; init; }

    /// <summary>
    /// May use the admin console: an Administrator who is not held at a forced password change, at MFA
    /// enrolment or at passkey use.
    /// </summary>
    public bool IsAdministrator => Role == UserRole.Administrator && !MustChangePassword && !MustEnrolMfa && !MustUsePasskey;

    /// <summary>True when the caller proved who they are within <see cref="Reauthentication.Window"/> (ASVS 5.0 7.5.1).</summary>
    public bool IsRecentlyAuthenticatedAt(DateTime utcNow) =>
        ReauthenticatedAt is { } at && utcNow - at <= Reauthentication.Window && at <= utcNow + TimeSpan.FromMinutes(1);
}

/// <summary>The caller of the current operation, or null when nobody (or no longer valid session) is signed in.</summary>
public interface ICurrentUser
{
    ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default);
}

/// <summary>A message anyone may send, signed in or not (signing in itself).</summary>
public interface IPublicMessage;

/// <summary>A message any signed-in user may send for themself (changing their own password, signing out).</summary>
public interface ISignedInMessage;

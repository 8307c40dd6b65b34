using System.Linq.Expressions;

namespace UserManagement.Application.Accounts;

/// <summary>
/// One signed-in browser. The auth cookie carries only its id; the server decides on every request and
/// every message whether it is still valid, so sign-out and revocation take effect on the server side.
/// </summary>
public sealed class UserSession
{
    /// <summary>A session expires this long after sign-in, however active it is.</summary>
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(12);

    /// <summary>A session that saw no activity for this long has ended.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Activity is written back at most this often, to keep reads cheap.</summary>
    public static readonly TimeSpan ActivityResolution = TimeSpan.FromMinutes(1);

    private UserSession()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The user's security stamp when the session began; a different stamp now means it has ended.</summary>
    public string SecurityStamp { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public DateTime LastSeenAt { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public DateTime? EndedAt { get; private set; }

    public string? EndReason { get; private set; }

    /// <summary>When the person last proved who they are in this session (sign-in, or re-authentication since).</summary>
    public DateTime ReauthenticatedAt { get; private set; }

    /// <summary>
    /// The password was right but the authenticator code is still to come: not yet a session anyone can use.
    /// It waits at most <see cref="SecondFactorTimeout"/>.
    /// </summary>
    public bool AwaitingSecondFactor { get; private set; }

    /// <summary>
    /// A passkey was proved in this session (at sign-in, or to confirm an action since): it is multi-factor and
    /// phishing-resistant, which meets the MFA requirement and a passkey requirement (ADR 0027).
    /// </summary>
    public bool PasskeyVerified { get; private set; }

    /// <summary>How long the second step of a sign-in may take.</summary>
    public static readonly TimeSpan SecondFactorTimeout = TimeSpan.FromMinutes(5);

    public static UserSession Start(
        Guid userId, string securityStamp, DateTime utcNow, bool awaitingSecondFactor = false, bool passkeyVerified = false) => new()
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(utcNow)),
            UserId = userId,
            SecurityStamp = securityStamp,
            CreatedAt = utcNow,
            LastSeenAt = utcNow,
            ExpiresAt = utcNow + AbsoluteLifetime,
            ReauthenticatedAt = utcNow,
            AwaitingSecondFactor = awaitingSecondFactor,
            PasskeyVerified = passkeyVerified,
        };

    /// <summary>The second factor was right: the session starts now.</summary>
    public void CompleteSecondFactor(DateTime utcNow)
    {
        AwaitingSecondFactor = false;
        CreatedAt = utcNow;
        LastSeenAt = utcNow;
        ReauthenticatedAt = utcNow;
        ExpiresAt = utcNow + AbsoluteLifetime;
    }

    /// <summary>True while the second step of its sign-in may still be taken.</summary>
    public bool CanCompleteSecondFactorAt(DateTime utcNow) =>
        AwaitingSecondFactor && EndedAt is null && utcNow - CreatedAt < SecondFactorTimeout;

    /// <summary>
    /// Not ended, not past its absolute lifetime, not idle too long: the session's own half of being valid. The
    /// other half, the user's stamp and status, needs the user (see <see cref="SessionValidator"/>).
    /// </summary>
    public static Expression<Func<UserSession, bool>> LiveAt(DateTime utcNow)
    {
        var idleSince = utcNow - IdleTimeout;
        return s => s.EndedAt == null && !s.AwaitingSecondFactor && s.ExpiresAt > utcNow && s.LastSeenAt > idleSince;
    }

    public void End(string reason, DateTime utcNow)
    {
        EndedAt ??= utcNow;
        EndReason ??= reason;
    }
}

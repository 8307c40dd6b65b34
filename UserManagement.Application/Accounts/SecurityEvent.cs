using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

public enum SecurityEventType
{
    SignInSucceeded,
    SignInFailed,
    LockedOut,
    Unlocked,
    PasswordSet,
    PasswordChanged,
    SessionEnded,
    AdministratorBootstrapped,
    CurrentPasswordFailed,
    SecondFactorRequested,
    SecondFactorFailed,
    SecondFactorLockedOut,
    RecoveryCodeUsed,
    MfaEnabled,
    MfaReset,
    Reauthenticated,
    ReauthenticationFailed,

    /// <summary>An administrator downloaded a CSV export (the users list, the audit trail).</summary>
    Exported,

    /// <summary>A signed-in user who may not use the console asked for an export and was refused.</summary>
    ExportRefused,

    PasskeyAdded,
    PasskeyRenamed,
    PasskeyRemoved,
    PasskeyRefused,
    PasskeyCloneSuspected,
}

/// <summary>
/// A security-relevant fact (a sign-in, a refusal, a lockout...), recorded in the audit trail like every change: a
/// handler passes it to <see cref="IAppDbContext.Raise"/> and the save that follows writes its entry in the same
/// transaction (ADR 0020). Unlike other domain events it is recorded, not published: nothing reacts to it, and its
/// handler logs it (event ids 1000-1299). It never holds a password or a hash; <see cref="Detail"/> is a short fixed phrase.
/// </summary>
public sealed record SecurityEvent : IDomainEvent
{
    private SecurityEvent()
    {
    }

    public DateTime OccurredAt { get; private init; }

    public SecurityEventType Type { get; private init; }

    /// <summary>The account concerned, when known.</summary>
    public Guid? UserId { get; private init; }

    /// <summary>
    /// The account's email. For a sign-in with an unknown email only a masked form (<see cref="MaskUnknownEmail"/>):
    /// what was typed may be a password typed into the wrong box.
    /// </summary>
    public string? Email { get; private init; }

    /// <summary>Who did it, when it was someone else (an administrator).</summary>
    public Guid? ActorId { get; private init; }

    public string? IpAddress { get; private init; }

    public string Detail { get; private init; } = string.Empty;

    public static SecurityEvent Record(
        SecurityEventType type, DateTime utcNow, string detail, Guid? userId = null, string? email = null,
        Guid? actorId = null, string? ipAddress = null) => new()
        {
            OccurredAt = utcNow,
            Type = type,
            UserId = userId,
            Email = email is null ? null : Truncate(email.Trim(), 254),
            ActorId = actorId,
            IpAddress = ipAddress is null ? null : Truncate(ipAddress, 64),
            Detail = Truncate(detail, 200),
        };

    /// <summary>
    /// What is kept of an email that matches no account: its first two characters and its length. Enough to see
    /// that attempts repeat; too little to give away a password typed into the email box.
    /// </summary>
    public static string MaskUnknownEmail(string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var trimmed = typed.Trim();
        var runes = trimmed.EnumerateRunes().ToList();
        var start = string.Concat(runes.Take(2).Select(r => r.ToString()));
        return $"{start}… ({runes.Count} characters, unknown)";
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

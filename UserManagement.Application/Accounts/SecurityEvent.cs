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
}

/// <summary>
/// A security-relevant event, kept for administrators to review. It never holds a password or a hash;
/// <see cref="Detail"/> is a short fixed phrase.
/// </summary>
public sealed class SecurityEvent
{
    private SecurityEvent()
    {
    }

    public Guid Id { get; private set; }

    public DateTime OccurredAt { get; private set; }

    public SecurityEventType Type { get; private set; }

    /// <summary>The account concerned, when known.</summary>
    public Guid? UserId { get; private set; }

    /// <summary>
    /// The account's email. For a sign-in with an unknown email only a masked form (<see cref="MaskUnknownEmail"/>):
    /// what was typed may be a password typed into the wrong box.
    /// </summary>
    public string? Email { get; private set; }

    /// <summary>Who did it, when it was someone else (an administrator).</summary>
    public Guid? ActorId { get; private set; }

    public string? IpAddress { get; private set; }

    public string Detail { get; private set; } = string.Empty;

    public static SecurityEvent Record(
        SecurityEventType type, DateTime utcNow, string detail, Guid? userId = null, string? email = null,
        Guid? actorId = null, string? ipAddress = null) => new()
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(utcNow)),
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
        var trimmed = typed.Trim();
        var runes = trimmed.EnumerateRunes().ToList();
        var start = string.Concat(runes.Take(2).Select(r => r.ToString()));
        return $"{start}… ({runes.Count} characters, unknown)";
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

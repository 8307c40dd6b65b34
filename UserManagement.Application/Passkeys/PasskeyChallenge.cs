using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

public enum PasskeyCeremonyKind
{
    Registration,
    SignIn,
    Reauthentication,
}

/// <summary>
/// The server's half of one WebAuthn ceremony: the options sent to the browser (its random challenge included),
/// what the answer must be bound to (the session, or the email typed before signing in), and when it expires. Kept
/// in the database, so any node can finish what another started; taken (deleted) by the first answer, so a
/// challenge works once (ADR 0027).
/// </summary>
public sealed class PasskeyChallenge
{
    private PasskeyChallenge()
    {
    }

    public Guid Id { get; private set; }

    public PasskeyCeremonyKind Kind { get; private set; }

    /// <summary>The options as sent to the browser (JSON): the challenge, the relying party, the credentials allowed.</summary>
    public string Options { get; private set; } = string.Empty;

    /// <summary>The session that asked (registration and re-authentication): only it may answer.</summary>
    public Guid? SessionId { get; private set; }

    /// <summary>The account the ceremony is for, when known before the answer.</summary>
    public Guid? UserId { get; private set; }

    /// <summary>At sign-in after an email: the normalized email the passkey must belong to.</summary>
    public string? EmailKey { get; private set; }

    public DateTime ExpiresAt { get; private set; }

    public static PasskeyChallenge Issue(
        PasskeyCeremonyKind kind, string options, DateTime utcNow, Guid? sessionId = null, Guid? userId = null, string? emailKey = null) => new()
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(utcNow)),
            Kind = kind,
            Options = options,
            SessionId = sessionId,
            UserId = userId,
            EmailKey = emailKey,
            ExpiresAt = utcNow + PasskeySettings.CeremonyTimeout,
        };
}

/// <summary>What a ceremony's first step hands the browser: the options, and the id that names its challenge.</summary>
public sealed record PasskeyCeremonyStart(Guid ChallengeId, string OptionsJson);

internal static class PasskeyChallenges
{
    /// <summary>Stores a new challenge (and forgets the expired ones) and returns what the browser needs.</summary>
    public static async Task<PasskeyCeremonyStart> IssueAsync(
        IAppDbContext db, PasskeyChallenge challenge, DateTime utcNow, CancellationToken cancellationToken)
    {
        await db.PasskeyChallenges.Where(c => c.ExpiresAt <= utcNow).ExecuteDeleteAsync(cancellationToken);
        db.PasskeyChallenges.Add(challenge);
        await db.SaveChangesAsync(cancellationToken);
        return new PasskeyCeremonyStart(challenge.Id, challenge.Options);
    }

    /// <summary>
    /// Takes the challenge for good and returns it, or null when it does not exist, is of another kind, was taken
    /// already (a replay, or a race: one conditional DELETE decides) or has expired.
    /// </summary>
    public static async Task<PasskeyChallenge?> TakeAsync(
        IAppDbContext db, Guid id, PasskeyCeremonyKind kind, DateTime utcNow, CancellationToken cancellationToken)
    {
        var challenge = await db.PasskeyChallenges.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.Kind == kind, cancellationToken);
        if (challenge is null)
        {
            return null;
        }

        var taken = await db.PasskeyChallenges.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        return taken == 1 && challenge.ExpiresAt > utcNow ? challenge : null;
    }
}

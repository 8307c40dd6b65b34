namespace UserManagement.Application.Passkeys;

/// <summary>
/// A WebAuthn credential (a passkey) registered to a user: the public key the authenticator made, its signature
/// counter and backup flags as last seen, and the name the user gave it. The private key never leaves the
/// authenticator (ADR 0027).
/// </summary>
public sealed class Passkey
{
    public const int NameMaxLength = 60;

    /// <summary>More than anyone needs (a phone, a laptop, two security keys...), few enough to list on one screen.</summary>
    public const int MaxPerUser = 20;

    /// <summary>The unique index that lets a credential id belong to one passkey only (WebAuthn 7.1, step 26).</summary>
    public const string UniqueCredentialIdIndex = "IX_Passkeys_CredentialId";

    private Passkey()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The credential id the authenticator chose (at most 1023 bytes); unique across all users.</summary>
    public byte[] CredentialId { get; private set; } = [];

    /// <summary>The credential public key, COSE-encoded, as the authenticator gave it.</summary>
    public byte[] PublicKey { get; private set; } = [];

    /// <summary>The signature counter of the last accepted ceremony (0 for authenticators that keep none).</summary>
    public long SignCount { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public DateTime? LastUsedAt { get; private set; }

    /// <summary>The BE flag at registration: whether the credential may be synced. It never changes for a credential.</summary>
    public bool BackupEligible { get; private set; }

    /// <summary>The BS flag as last seen: whether the credential is synced (backed up) now.</summary>
    public bool BackedUp { get; private set; }

    /// <summary>The authenticator model, when it says (all zeros with "none" attestation from most).</summary>
    public Guid AaGuid { get; private set; }

    /// <summary>The attestation statement format received ("none" unless attestation is configured).</summary>
    public string AttestationFormat { get; private set; } = "none";

    public static Passkey Register(
        Guid userId, string name, byte[] credentialId, byte[] publicKey, uint signCount, bool backupEligible, bool backedUp,
        Guid aaGuid, string attestationFormat, DateTime utcNow) => new()
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(utcNow)),
            UserId = userId,
            Name = CleanName(name),
            CredentialId = credentialId,
            PublicKey = publicKey,
            SignCount = signCount,
            BackupEligible = backupEligible,
            BackedUp = backedUp,
            AaGuid = aaGuid,
            AttestationFormat = attestationFormat,
            CreatedAt = utcNow,
        };

    public void Rename(string name) => Name = CleanName(name);

    /// <summary>True when <paramref name="name"/> can name a passkey: some text, not too long, nothing misleading in it.</summary>
    public static bool IsValidName(string? name) =>
        CleanName(name) is { Length: > 0 and <= NameMaxLength } clean && !Users.UserRules.HasForbiddenCharacters(clean);

    private static string CleanName(string? name) => (name ?? string.Empty).Trim();
}

/// <summary>A passkey as the lists show it.</summary>
public sealed record PasskeyItem(Guid Id, string Name, DateTime CreatedAt, DateTime? LastUsedAt, bool BackedUp);

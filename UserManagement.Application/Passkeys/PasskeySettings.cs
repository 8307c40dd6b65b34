using UserManagement.Application.Users;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// Where passkeys work and who must use them, from configuration (Security:PasskeyRelyingPartyId,
/// Security:PasskeyOrigins, Security:PasskeyRelyingPartyName, Security:PasskeyAttestation,
/// Security:RequirePasskeyForAdministrators). Without a relying party id and at least one origin, passkeys are off.
/// </summary>
public sealed record PasskeySettings(
    string? RelyingPartyId,
    IReadOnlyList<string> Origins,
    string RelyingPartyName = "UserManagement",
    PasskeyAttestation Attestation = PasskeyAttestation.None,
    bool RequiredForAdministrators = false)
{
    public const string NotConfigured =
        "Passkeys are not set up on this server: an operator sets Security:PasskeyRelyingPartyId and Security:PasskeyOrigins.";

    /// <summary>How long a ceremony may take, from the options to the answer: the browser's timeout and the challenge's life.</summary>
    public static readonly TimeSpan CeremonyTimeout = TimeSpan.FromMinutes(2);

    public static readonly PasskeySettings Off = new(null, []);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(RelyingPartyId) && Origins.Count > 0;

    /// <summary>True when this role must sign in with a passkey to use the console.</summary>
    public bool AppliesTo(UserRole role) => RequiredForAdministrators && role == UserRole.Administrator;

    /// <summary>The settings as configured, or why they cannot work (the app refuses to start with them).</summary>
    public static PasskeySettings Checked(
        string? relyingPartyId, IReadOnlyList<string> origins, string? relyingPartyName, string? attestation, bool requiredForAdministrators)
    {
        var settings = new PasskeySettings(
            string.IsNullOrWhiteSpace(relyingPartyId) ? null : relyingPartyId.Trim(),
            [.. origins.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().TrimEnd('/'))],
            string.IsNullOrWhiteSpace(relyingPartyName) ? "UserManagement" : relyingPartyName.Trim(),
            Enum.TryParse<PasskeyAttestation>(attestation ?? nameof(PasskeyAttestation.None), ignoreCase: true, out var preference)
                && Enum.IsDefined(preference)
                ? preference
                : throw new InvalidOperationException($"Security:PasskeyAttestation must be none, indirect or direct, not '{attestation}'."),
            requiredForAdministrators);
        if (requiredForAdministrators && !settings.IsConfigured)
        {
            throw new InvalidOperationException(
                "Security:RequirePasskeyForAdministrators needs Security:PasskeyRelyingPartyId and Security:PasskeyOrigins.");
        }

        foreach (var origin in settings.Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.PathAndQuery != "/"
                || !(uri.Host == settings.RelyingPartyId || uri.Host.EndsWith("." + settings.RelyingPartyId, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException(
                    $"Security:PasskeyOrigins: '{origin}' must be an http(s) origin on the relying party id '{settings.RelyingPartyId}' or one of its subdomains.");
            }
        }

        return settings;
    }
}

/// <summary>What the browser is asked to prove about the authenticator at registration (WebAuthn attestation conveyance).</summary>
public enum PasskeyAttestation
{
    None,
    Indirect,
    Direct,
}

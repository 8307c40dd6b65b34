using System.Text.Json;
using Fido2NetLib;
using Fido2NetLib.Exceptions;
using Fido2NetLib.Objects;
using UserManagement.Application.Users;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// The relying party's side of WebAuthn, through Fido2 (passwordless-lib, MIT): the options a ceremony sends to the
/// browser, and the checks of what comes back (WebAuthn Level 3, 7.1 and 7.2): the challenge, the origin against
/// the configured ones, the relying party id's hash, user presence and verification (always required), the
/// signature, the signature counter and the backup flags. Every refusal is a <see cref="PasskeyRefusal"/>: the answer
/// comes from the browser, so anything wrong in it is a refusal, never an exception (ADR 0027).
/// </summary>
public sealed class PasskeyCeremony(PasskeySettings settings)
{
    private readonly Fido2 _fido2 = new(new Fido2Configuration
    {
        RPID = settings.RelyingPartyId,
        RPName = settings.RelyingPartyName,
        Origins = settings.Origins.ToHashSet(StringComparer.OrdinalIgnoreCase),
        Timeout = (uint)PasskeySettings.CeremonyTimeout.TotalMilliseconds,
        ChallengeSize = 32,
    });

    /// <summary>The user handle a passkey carries: the user's id, 16 bytes that say nothing about the person.</summary>
    public static byte[] UserHandle(Guid userId) => userId.ToByteArray();

    /// <summary>Options for a new discoverable passkey with user verification, not on an authenticator that already has one of <paramref name="existing"/>.</summary>
    public string RegistrationOptions(User user, IEnumerable<byte[]> existing) =>
        _fido2.RequestNewCredential(new RequestNewCredentialParams
        {
            User = new Fido2User { Id = UserHandle(user.Id), Name = user.Email, DisplayName = user.Name },
            ExcludeCredentials = [.. existing.Select(id => new PublicKeyCredentialDescriptor(id))],
            AuthenticatorSelection = new AuthenticatorSelection
            {
                ResidentKey = ResidentKeyRequirement.Required,
                UserVerification = UserVerificationRequirement.Required,
            },
            AttestationPreference = settings.Attestation switch
            {
                PasskeyAttestation.Direct => AttestationConveyancePreference.Direct,
                PasskeyAttestation.Indirect => AttestationConveyancePreference.Indirect,
                _ => AttestationConveyancePreference.None,
            },
        }).ToJson();

    /// <summary>Options to prove a passkey with user verification: any discoverable one, or one of <paramref name="allowed"/>.</summary>
    public string AssertionOptions(IEnumerable<byte[]> allowed) =>
        _fido2.GetAssertionOptions(new GetAssertionOptionsParams
        {
            AllowedCredentials = [.. allowed.Select(id => new PublicKeyCredentialDescriptor(id))],
            UserVerification = UserVerificationRequirement.Required,
        }).ToJson();

    /// <summary>Checks the browser's answer to <paramref name="optionsJson"/>; the new credential, or why not.</summary>
    public async Task<PasskeyCheck<RegisteredPublicKeyCredential>> VerifyRegistrationAsync(
        string optionsJson, string responseJson, Func<byte[], CancellationToken, Task<bool>> isNewCredential,
        CancellationToken cancellationToken)
    {
        try
        {
            var response = JsonSerializer.Deserialize<AuthenticatorAttestationRawResponse>(responseJson);
            if (response?.Response is null)
            {
                return PasskeyRefusal.Malformed;
            }

            return await _fido2.MakeNewCredentialAsync(
                new MakeNewCredentialParams
                {
                    AttestationResponse = response,
                    OriginalOptions = CredentialCreateOptions.FromJson(optionsJson),
                    IsCredentialIdUniqueToUserCallback = (args, ct) => isNewCredential(args.CredentialId, ct),
                },
                cancellationToken);
        }
        catch (Exception e) when (Refusal(e) is { } refusal)
        {
            return refusal;
        }
    }

    /// <summary>The credential id the browser's answer names, or null when it is not an answer at all.</summary>
    public static AuthenticatorAssertionRawResponse? ParseAssertion(string responseJson)
    {
        try
        {
            var response = JsonSerializer.Deserialize<AuthenticatorAssertionRawResponse>(responseJson);
            return response is { RawId.Length: > 0, Response: not null } ? response : null;
        }
        catch (Exception e) when (Refusal(e) is not null)
        {
            return null;
        }
    }

    /// <summary>
    /// Checks an answer to <paramref name="optionsJson"/> made with <paramref name="passkey"/>; the counter and the
    /// backed-up flag to store, or why not. The counter must grow, unless the authenticator keeps none (0 before and
    /// now): a counter that did not grow means two authenticators hold the key, so one is a clone. Backup eligibility
    /// is fixed for a credential's life: a change means this is not the credential that was registered.
    /// </summary>
    public async Task<PasskeyCheck<PasskeyUse>> VerifyAssertionAsync(
        string optionsJson, AuthenticatorAssertionRawResponse response, Passkey passkey, CancellationToken cancellationToken)
    {
        // A discoverable passkey names its account (the user handle): it must be the account the passkey is stored for.
        if (response.Response.UserHandle is { } handle && !handle.AsSpan().SequenceEqual(UserHandle(passkey.UserId)))
        {
            return PasskeyRefusal.NotThisUser;
        }

        try
        {
            var verified = await _fido2.MakeAssertionAsync(
                new MakeAssertionParams
                {
                    AssertionResponse = response,
                    OriginalOptions = Fido2NetLib.AssertionOptions.FromJson(optionsJson),
                    StoredPublicKey = passkey.PublicKey,
                    StoredSignatureCounter = (uint)passkey.SignCount,
                    IsUserHandleOwnerOfCredentialIdCallback = (_, _) => Task.FromResult(true), // checked above
                },
                cancellationToken);
            var flags = AuthenticatorData.Parse(response.Response.AuthenticatorData);

            // Fido2 4.3 refuses these too (InvalidSignCount); the rule is ours, whatever a later version does.
            if (passkey.SignCount > 0 && verified.SignCount <= passkey.SignCount)
            {
                return PasskeyRefusal.CounterWentBack;
            }

            if (flags.IsBackupEligible != passkey.BackupEligible || (flags.IsBackedUp && !flags.IsBackupEligible))
            {
                return PasskeyRefusal.BackupFlagsChanged;
            }

            return new PasskeyUse(verified.SignCount, flags.IsBackedUp);
        }
        catch (Exception e) when (Refusal(e) is { } refusal)
        {
            return refusal;
        }
    }

    /// <summary>
    /// What a failed check means. Fido2 says it with an error code; anything else it throws on a malformed answer
    /// (JSON, base64url, CBOR, COSE key, ASN.1) is <see cref="PasskeyRefusal.Malformed"/>. Cancellation passes.
    /// </summary>
    private static PasskeyRefusal? Refusal(Exception exception) => exception switch
    {
        OperationCanceledException => null,
        Fido2VerificationException { Code: var code } => code switch
        {
            Fido2ErrorCode.InvalidAuthenticatorResponseOrigin or Fido2ErrorCode.MissingAuthenticatorResponseOrigin
                or Fido2ErrorCode.CrossOriginRequestNotAllowed or Fido2ErrorCode.InvalidAuthenticatorResponseTopOrigin => PasskeyRefusal.WrongOrigin,
            Fido2ErrorCode.InvalidRpidHash => PasskeyRefusal.WrongRelyingParty,
            Fido2ErrorCode.InvalidAuthenticatorResponseChallenge or Fido2ErrorCode.MissingAuthenticatorResponseChallenge => PasskeyRefusal.WrongChallenge,
            Fido2ErrorCode.UserVerificationRequirementNotMet or Fido2ErrorCode.UserPresentFlagNotSet => PasskeyRefusal.UserNotVerified,
            Fido2ErrorCode.InvalidSignature => PasskeyRefusal.BadSignature,
            Fido2ErrorCode.InvalidSignCount => PasskeyRefusal.CounterWentBack,
            Fido2ErrorCode.InvalidBackupFlags or Fido2ErrorCode.BackupEligibilityRequirementNotMet
                or Fido2ErrorCode.BackupStateRequirementNotMet => PasskeyRefusal.BackupFlagsChanged,
            Fido2ErrorCode.NonUniqueCredentialId => PasskeyRefusal.AlreadyRegistered,
            _ => PasskeyRefusal.Malformed,
        },
        _ => PasskeyRefusal.Malformed,
    };
}

/// <summary>A passkey proved: the counter and the backed-up flag to store.</summary>
public sealed record PasskeyUse(uint SignCount, bool BackedUp);

/// <summary>Why a passkey ceremony was refused; <see cref="PasskeyRefusals.Describe"/> gives the phrase the audit trail keeps.</summary>
public enum PasskeyRefusal
{
    Malformed,
    ChallengeUnknown,
    WrongOrigin,
    WrongRelyingParty,
    WrongChallenge,
    UserNotVerified,
    BadSignature,
    CounterWentBack,
    BackupFlagsChanged,
    AlreadyRegistered,
    UnknownCredential,
    NotThisUser,
    AccountUnavailable,
}

public static class PasskeyRefusals
{
    public static string Describe(PasskeyRefusal refusal) => refusal switch
    {
        PasskeyRefusal.Malformed => "not a valid WebAuthn answer",
        PasskeyRefusal.ChallengeUnknown => "challenge unknown, used already, expired or of another session",
        PasskeyRefusal.WrongOrigin => "origin not allowed",
        PasskeyRefusal.WrongRelyingParty => "relying party id does not match",
        PasskeyRefusal.WrongChallenge => "challenge does not match",
        PasskeyRefusal.UserNotVerified => "user not verified",
        PasskeyRefusal.BadSignature => "signature not valid",
        PasskeyRefusal.CounterWentBack => "signature counter went back: possibly a cloned authenticator",
        PasskeyRefusal.BackupFlagsChanged => "backup flags changed",
        PasskeyRefusal.AlreadyRegistered => "credential registered already",
        PasskeyRefusal.UnknownCredential => "unknown passkey",
        PasskeyRefusal.NotThisUser => "passkey of another account",
        PasskeyRefusal.AccountUnavailable => "account disabled",
        _ => refusal.ToString(),
    };
}

/// <summary>The outcome of a passkey check: a value, or the refusal.</summary>
public readonly record struct PasskeyCheck<T>(T? Value, PasskeyRefusal? Refused)
    where T : class
{
    public static implicit operator PasskeyCheck<T>(T value) => new(value, null);

    public static implicit operator PasskeyCheck<T>(PasskeyRefusal refusal) => new(null, refusal);
}

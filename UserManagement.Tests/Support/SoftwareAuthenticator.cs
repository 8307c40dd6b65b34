using System.Buffers.Binary;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UserManagement.Tests.Support;

/// <summary>
/// A passkey authenticator written in software, for the handler and HTTP tests: an EC P-256 key made here, and the
/// answers a browser would send for it (WebAuthn Level 3, 5.1.3 and 6.1): clientDataJSON, authenticator data, a
/// "none" attestation object, ES256 signatures. Every field a relying party checks can be set wrong on purpose:
/// the origin, the relying party id, the user-verified and backup flags, the counter, the challenge.
/// </summary>
public sealed class SoftwareAuthenticator : IDisposable
{
    /// <summary>The relying party and origin the tests configure (<see cref="Settings"/>).</summary>
    public const string RelyingPartyId = "localhost";

    public const string Origin = "https://localhost:5001";

    private const byte UserPresent = 0x01;
    private const byte UserVerifiedFlag = 0x04;
    private const byte BackupEligibleFlag = 0x08;
    private const byte BackedUpFlag = 0x10;
    private const byte AttestedCredentialData = 0x40;

    private static readonly string[] Transports = ["internal"];

    private readonly ECDsa _key;

    public SoftwareAuthenticator()
        : this(ECDsa.Create(ECCurve.NamedCurves.nistP256), RandomNumberGenerator.GetBytes(32), [])
    {
    }

    private SoftwareAuthenticator(ECDsa key, byte[] credentialId, byte[] userHandle)
    {
        _key = key;
        CredentialId = credentialId;
        UserHandle = userHandle;
    }

    /// <summary>The configuration that puts the app's relying party where this authenticator answers.</summary>
    public static Dictionary<string, string?> Settings => new()
    {
        ["Security:PasskeyRelyingPartyId"] = RelyingPartyId,
        ["Security:PasskeyOrigins:0"] = Origin,
    };

    public byte[] CredentialId { get; }

    /// <summary>The account the passkey is for, as the registration options named it.</summary>
    public byte[] UserHandle { get; private set; }

    /// <summary>The signature counter; each answer moves it on by one first. 0 and <see cref="CountsSignatures"/> false: an authenticator that keeps none.</summary>
    public uint Counter { get; set; }

    public bool CountsSignatures { get; set; } = true;

    /// <summary>The origin the browser puts in clientDataJSON: the page's own.</summary>
    public string PageOrigin { get; set; } = Origin;

    /// <summary>The relying party id hashed into the authenticator data; null: the one the options name.</summary>
    public string? SignedRelyingPartyId { get; set; }

    public bool UserVerified { get; set; } = true;

    public bool BackupEligible { get; set; }

    public bool BackedUp { get; set; }

    /// <summary>A second authenticator holding the same private key and credential (a clone), with its own counter.</summary>
    public SoftwareAuthenticator Clone()
    {
        var copy = ECDsa.Create(_key.ExportParameters(includePrivateParameters: true));
        return new SoftwareAuthenticator(copy, CredentialId, UserHandle)
        {
            Counter = Counter,
            CountsSignatures = CountsSignatures,
            BackupEligible = BackupEligible,
            BackedUp = BackedUp,
        };
    }

    /// <summary>The browser's answer to registration options (navigator.credentials.create), as JSON.</summary>
    public string Register(string optionsJson)
    {
        var options = JsonNode.Parse(optionsJson)!;
        UserHandle = FromBase64Url(options["user"]!["id"]!.GetValue<string>());
        var clientData = ClientData("webauthn.create", options["challenge"]!.GetValue<string>());
        var authenticatorData = AuthenticatorData(options["rp"]!["id"]!.GetValue<string>(), withCredential: true);

        var attestation = new CborWriter(CborConformanceMode.Ctap2Canonical);
        attestation.WriteStartMap(3);
        attestation.WriteTextString("fmt");
        attestation.WriteTextString("none");
        attestation.WriteTextString("attStmt");
        attestation.WriteStartMap(0);
        attestation.WriteEndMap();
        attestation.WriteTextString("authData");
        attestation.WriteByteString(authenticatorData);
        attestation.WriteEndMap();

        return JsonSerializer.Serialize(new
        {
            id = ToBase64Url(CredentialId),
            rawId = ToBase64Url(CredentialId),
            type = "public-key",
            response = new
            {
                clientDataJSON = ToBase64Url(clientData),
                attestationObject = ToBase64Url(attestation.Encode()),
                transports = Transports,
            },
            clientExtensionResults = new { },
        });
    }

    /// <summary>The browser's answer to assertion options (navigator.credentials.get), as JSON.</summary>
    public string Assert(string optionsJson)
    {
        var options = JsonNode.Parse(optionsJson)!;
        var clientData = ClientData("webauthn.get", options["challenge"]!.GetValue<string>());
        var authenticatorData = AuthenticatorData(options["rpId"]!.GetValue<string>(), withCredential: false);
        var signature = _key.SignData([.. authenticatorData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        return JsonSerializer.Serialize(new
        {
            id = ToBase64Url(CredentialId),
            rawId = ToBase64Url(CredentialId),
            type = "public-key",
            response = new
            {
                clientDataJSON = ToBase64Url(clientData),
                authenticatorData = ToBase64Url(authenticatorData),
                signature = ToBase64Url(signature),
                userHandle = ToBase64Url(UserHandle),
            },
            clientExtensionResults = new { },
        });
    }

    private byte[] ClientData(string type, string challenge) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type, challenge, origin = PageOrigin, crossOrigin = false });

    private byte[] AuthenticatorData(string relyingPartyId, bool withCredential)
    {
        if (CountsSignatures)
        {
            Counter++;
        }

        var flags = (byte)(UserPresent
            | (UserVerified ? UserVerifiedFlag : 0)
            | (BackupEligible ? BackupEligibleFlag : 0)
            | (BackedUp ? BackedUpFlag : 0)
            | (withCredential ? AttestedCredentialData : 0));
        var data = new List<byte>(SHA256.HashData(Encoding.UTF8.GetBytes(SignedRelyingPartyId ?? relyingPartyId))) { flags };
        var counter = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(counter, Counter);
        data.AddRange(counter);
        if (withCredential)
        {
            data.AddRange(new byte[16]); // AAGUID: all zeros, as "none" attestation sends it
            var length = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)CredentialId.Length);
            data.AddRange(length);
            data.AddRange(CredentialId);
            data.AddRange(PublicKey());
        }

        return [.. data];
    }

    /// <summary>The public key as a COSE_Key (RFC 9053): EC2, ES256, P-256, x and y; keys in CTAP2 canonical order.</summary>
    private byte[] PublicKey()
    {
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        var cose = new CborWriter(CborConformanceMode.Ctap2Canonical);
        cose.WriteStartMap(5);
        cose.WriteInt32(1);
        cose.WriteInt32(2);
        cose.WriteInt32(3);
        cose.WriteInt32(-7);
        cose.WriteInt32(-1);
        cose.WriteInt32(1);
        cose.WriteInt32(-2);
        cose.WriteByteString(point.X!);
        cose.WriteInt32(-3);
        cose.WriteByteString(point.Y!);
        cose.WriteEndMap();
        return cose.Encode();
    }

    public static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    public void Dispose() => _key.Dispose();
}

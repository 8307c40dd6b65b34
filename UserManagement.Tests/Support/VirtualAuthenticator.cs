using System.Text.Json;
using Microsoft.Playwright;

namespace UserManagement.Tests.Support;

/// <summary>
/// Chromium's virtual authenticator (DevTools protocol, WebAuthn domain) on one page: a platform authenticator
/// (CTAP2, internal transport) that holds discoverable credentials, verifies the user and answers at once, so a test
/// can make and use passkeys with no device. Its credentials can be read and copied to another page's authenticator,
/// with a signature counter of the test's choosing (a clone).
/// </summary>
public sealed class VirtualAuthenticator
{
    private readonly ICDPSession _session;
    private readonly string _id;

    private VirtualAuthenticator(ICDPSession session, string id)
    {
        _session = session;
        _id = id;
    }

    public static async Task<VirtualAuthenticator> AttachAsync(IPage page)
    {
        var session = await page.Context.NewCDPSessionAsync(page);
        await session.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        var added = await session.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return new VirtualAuthenticator(session, added!.Value.GetProperty("authenticatorId").GetString()!);
    }

    /// <summary>The credentials it holds, as the protocol gives them (private key included).</summary>
    public async Task<IReadOnlyList<JsonElement>> CredentialsAsync()
    {
        var result = await _session.SendAsync("WebAuthn.getCredentials", new Dictionary<string, object> { ["authenticatorId"] = _id });
        return [.. result!.Value.GetProperty("credentials").EnumerateArray().Select(c => c.Clone())];
    }

    /// <summary>Puts a copy of <paramref name="credential"/> in this authenticator, its counter at <paramref name="signCount"/> when given.</summary>
    public Task AddCredentialAsync(JsonElement credential, int? signCount = null)
    {
        var copy = new Dictionary<string, object>
        {
            ["credentialId"] = credential.GetProperty("credentialId").GetString()!,
            ["isResidentCredential"] = credential.GetProperty("isResidentCredential").GetBoolean(),
            ["rpId"] = credential.GetProperty("rpId").GetString()!,
            ["privateKey"] = credential.GetProperty("privateKey").GetString()!,
            ["userHandle"] = credential.GetProperty("userHandle").GetString()!,
            ["signCount"] = signCount ?? credential.GetProperty("signCount").GetInt32(),
        };
        return _session.SendAsync("WebAuthn.addCredential", new Dictionary<string, object> { ["authenticatorId"] = _id, ["credential"] = copy });
    }
}

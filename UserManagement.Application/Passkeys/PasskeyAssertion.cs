using Fido2NetLib;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// The steps that signing in and re-authenticating with a passkey share: find the passkey the browser's answer
/// names, check the answer, and store the counter it moved to. A counter that went back is recorded as a suspected
/// clone (a security event of its own, logged as a warning), and the passkey is refused.
/// </summary>
internal static partial class PasskeyAssertion
{
    /// <summary>The answer and the passkey it names, or why there is none.</summary>
    public static async Task<(AuthenticatorAssertionRawResponse? Response, Passkey? Passkey, PasskeyRefusal? Refused)> FindAsync(
        IAppDbContext db, string responseJson, CancellationToken cancellationToken)
    {
        var response = PasskeyCeremony.ParseAssertion(responseJson);
        if (response is null)
        {
            return (null, null, PasskeyRefusal.Malformed);
        }

        var credentialId = response.RawId;
        var passkey = await db.Passkeys.AsNoTracking().FirstOrDefaultAsync(p => p.CredentialId == credentialId, cancellationToken);
        return (response, passkey, passkey is null ? PasskeyRefusal.UnknownCredential : null);
    }

    /// <summary>
    /// Checks the answer against the challenge's options and, when it holds, stores the new counter, backed-up flag
    /// and time of use: only if the counter is still the one checked against, so two answers racing cannot both
    /// move it. Null when the passkey proved itself.
    /// </summary>
    public static async Task<PasskeyRefusal?> VerifyAsync(
        IAppDbContext db, PasskeyCeremony ceremony, PasskeyChallenge challenge, AuthenticatorAssertionRawResponse response, Passkey passkey,
        DateTime utcNow, CancellationToken cancellationToken)
    {
        var verified = await ceremony.VerifyAssertionAsync(challenge.Options, response, passkey, cancellationToken);
        if (verified.Refused is { } refused)
        {
            return refused;
        }

        var use = verified.Value!;
        var checkedCount = passkey.SignCount;
        var stored = await db.Passkeys.Where(p => p.Id == passkey.Id && p.SignCount == checkedCount)
            .ExecuteUpdateAsync(
                s => s.SetProperty(p => p.SignCount, (long)use.SignCount)
                    .SetProperty(p => p.BackedUp, use.BackedUp)
                    .SetProperty(p => p.LastUsedAt, utcNow),
                cancellationToken);
        return stored == 1 ? null : PasskeyRefusal.CounterWentBack;
    }

    /// <summary>
    /// Records a refused ceremony: a suspected clone under its own event type (and a warning), anything else as
    /// <paramref name="failure"/> with the reason.
    /// </summary>
    public static void RecordRefusal(
        IAppDbContext db, SecurityEventType failure, string ceremony, PasskeyRefusal refusal, Passkey? passkey, Guid? userId, string? email,
        string? ipAddress, DateTime utcNow, ILogger logger)
    {
        if (refusal == PasskeyRefusal.CounterWentBack && passkey is not null)
        {
            db.Raise(SecurityEvent.Record(
                SecurityEventType.PasskeyCloneSuspected, utcNow,
                $"{ceremony}: passkey \"{passkey.Name}\" refused, its signature counter went back (a cloned authenticator?)",
                passkey.UserId, email, ipAddress: ipAddress));
            LogCloneSuspected(logger, passkey.UserId, passkey.Id, ipAddress);
            return;
        }

        db.Raise(SecurityEvent.Record(failure, utcNow, $"{ceremony}: {PasskeyRefusals.Describe(refusal)}", userId, email, ipAddress: ipAddress));
    }

    [LoggerMessage(EventId = 1126, Level = LogLevel.Warning,
        Message = "Passkey {PasskeyId} of user {UserId} refused from {IpAddress}: its signature counter went back, a cloned authenticator?")]
    private static partial void LogCloneSuspected(ILogger logger, Guid userId, Guid passkeyId, string? ipAddress);
}

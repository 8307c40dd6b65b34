using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// Decides whether a session is still good: not ended, not expired, not idle too long, its user still active
/// and still holding the security stamp the session began with. Every request, every circuit revalidation and
/// every message goes through here, so ending a session takes effect everywhere.
/// </summary>
public sealed class SessionValidator(
    IAppDbContextFactory dbFactory, MfaPolicy mfaPolicy, TimeProvider clock, Passkeys.PasskeySettings? passkeys = null)
{
    /// <summary>
    /// Confirms the session for something the person did (a request, a message): that counts as activity and
    /// keeps the session from idling out.
    /// </summary>
    public Task<Caller?> ConfirmAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        CheckAsync(sessionId, countsAsActivity: true, cancellationToken);

    /// <summary>
    /// Confirms the session for an open circuit's periodic re-check. Nobody did anything, so it is not activity:
    /// an unattended tab idles out like any other session.
    /// </summary>
    public Task<Caller?> RecheckAsync(Guid sessionId, CancellationToken cancellationToken = default) =>
        CheckAsync(sessionId, countsAsActivity: false, cancellationToken);

    private async Task<Caller?> CheckAsync(Guid sessionId, bool countsAsActivity, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == sessionId)
            .Where(UserSession.LiveAt(now))
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new
            {
                s.LastSeenAt,
                s.ReauthenticatedAt,
                s.PasskeyVerified,
                SessionStamp = s.SecurityStamp,
                UserStamp = u.SecurityStamp,
                u.Id,
                u.Email,
                u.Role,
                u.Status,
                u.MustChangePassword,
                u.MfaEnabledAt,
                u.MfaDeadline,
            })
            .FirstOrDefaultAsync(cancellationToken);

        var valid = found is not null
            && found.SessionStamp == found.UserStamp
            && found.Status == UserStatus.Active;
        if (!valid)
        {
            return null;
        }

        if (countsAsActivity && now - found!.LastSeenAt >= UserSession.ActivityResolution)
        {
            await db.Sessions.Where(s => s.Id == sessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
        }

        // A session that proved a passkey is multi-factor whether or not the user also has an authenticator app.
        var mfaDue = mfaPolicy.AppliesTo(found!.Role) && found.MfaEnabledAt is null && !found.PasskeyVerified;
        return new Caller(found.Id, sessionId, found.Email, found.Role, found.MustChangePassword)
        {
            ReauthenticatedAt = found.ReauthenticatedAt,
            MfaEnabled = found.MfaEnabledAt is not null,
            MfaDeadline = mfaDue ? found.MfaDeadline : null,
            MustEnrolMfa = mfaDue && found.MfaDeadline <= now,
            PasskeyVerified = found.PasskeyVerified,
            MustUsePasskey = passkeys?.AppliesTo(found.Role) == true && !found.PasskeyVerified,
        };
    }
}

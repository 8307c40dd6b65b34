using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// Decides whether a session is still good: not ended, not expired, not idle too long, its user still active
/// and still holding the security stamp the session began with. Every request, every circuit revalidation and
/// every message goes through here, so ending a session takes effect everywhere.
/// </summary>
public sealed class SessionValidator(IAppDbContextFactory dbFactory, TimeProvider clock)
{
    public async Task<Caller?> ConfirmAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == sessionId)
            .Where(UserSession.LiveAt(now))
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new
            {
                s.LastSeenAt,
                SessionStamp = s.SecurityStamp,
                UserStamp = u.SecurityStamp,
                u.Id,
                u.Email,
                u.Role,
                u.Status,
                u.MustChangePassword,
            })
            .FirstOrDefaultAsync(cancellationToken);

        var valid = found is not null
            && found.SessionStamp == found.UserStamp
            && found.Status == UserStatus.Active;
        if (!valid)
        {
            return null;
        }

        if (now - found!.LastSeenAt >= UserSession.ActivityResolution)
        {
            await db.Sessions.Where(s => s.Id == sessionId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), cancellationToken);
        }

        return new Caller(found.Id, sessionId, found.Email, found.Role, found.MustChangePassword);
    }
}

using Microsoft.EntityFrameworkCore;

namespace UserManagement.Application.Accounts;

internal static class SessionEnding
{
    /// <summary>
    /// Marks every open session of the user as ended, for the record. (They stopped working already: the user's
    /// security stamp moved.) Returns how many ended.
    /// </summary>
    public static Task<int> EndSessionsOfAsync(
        this Common.IAppDbContext db, Guid userId, string reason, DateTime utcNow, CancellationToken cancellationToken) =>
        db.Sessions.Where(s => s.UserId == userId).EndAsync(reason, utcNow, cancellationToken);

    /// <summary>Marks the open ones among <paramref name="sessions"/> as ended, in one statement; returns how many.</summary>
    public static Task<int> EndAsync(
        this IQueryable<UserSession> sessions, string reason, DateTime utcNow, CancellationToken cancellationToken) =>
        sessions.Where(s => s.EndedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.EndedAt, utcNow).SetProperty(x => x.EndReason, reason),
                cancellationToken);
}

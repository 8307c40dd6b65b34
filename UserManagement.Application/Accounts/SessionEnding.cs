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
        db.Sessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.EndedAt, utcNow).SetProperty(x => x.EndReason, reason),
                cancellationToken);
}

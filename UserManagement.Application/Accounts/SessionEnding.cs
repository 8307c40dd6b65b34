using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

internal static class SessionEnding
{
    /// <summary>
    /// Marks every open session of the user as ended, for the record (they stopped working already: the user's
    /// security stamp moved), and raises <see cref="SessionsEnded"/> when any did. Returns how many ended.
    /// </summary>
    public static async Task<int> EndSessionsOfAsync(
        this IAppDbContext db, UserRef user, string reason, DateTime utcNow, CancellationToken cancellationToken)
    {
        var ended = await db.Sessions.Where(s => s.UserId == user.Id).EndAsync(reason, utcNow, cancellationToken);
        db.RaiseSessionsEnded(user, ended, reason, utcNow);
        return ended;
    }

    /// <summary>
    /// Marks the open ones among <paramref name="sessions"/> as ended, in one statement; returns how many. The
    /// statement bypasses the change tracker: raise <see cref="SessionsEnded"/> for the record.
    /// </summary>
    public static Task<int> EndAsync(
        this IQueryable<UserSession> sessions, string reason, DateTime utcNow, CancellationToken cancellationToken) =>
        sessions.Where(s => s.EndedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(x => x.EndedAt, utcNow).SetProperty(x => x.EndReason, reason),
                cancellationToken);

    /// <summary>Records (and, after commit, publishes) that <paramref name="count"/> sessions ended; nothing when none did.</summary>
    public static void RaiseSessionsEnded(this IAppDbContext db, UserRef user, int count, string reason, DateTime utcNow)
    {
        if (count > 0)
        {
            db.Raise(new SessionsEnded(user, count, reason, utcNow));
        }
    }
}

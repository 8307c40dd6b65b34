using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// Counts wrong passwords (at sign-in, at a password change, at re-authentication) toward one lockout, and wrong
/// authenticator or recovery codes toward a second one. Counted in SQL so parallel guesses cannot undercount; the
/// lockout and its security event land in the caller's transaction.
/// </summary>
internal static partial class FailedAttempts
{
    /// <summary>
    /// Counts a wrong password; true when it locked the account. A password the app drew at random is not counted against:
    /// no guessing reaches it, and a lockout would only let anyone keep its holder out (<see cref="User.PasswordIsRandom"/>).
    /// </summary>
    public static async Task<bool> CountWrongPasswordAsync(
        IAppDbContext db, Guid userId, string email, string? ipAddress, DateTime utcNow, ILogger logger, CancellationToken cancellationToken)
    {
        await db.Users.Where(u => u.Id == userId && !u.PasswordIsRandom)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1), cancellationToken);
        var lockedUntil = utcNow + SignInCommand.LockoutDuration;
        var locked = await db.Users
            .Where(u => u.Id == userId && u.FailedSignInCount >= SignInCommand.MaxFailedAttempts)
            .ExecuteUpdateAsync(
                s => s.SetProperty(u => u.LockedUntil, lockedUntil).SetProperty(u => u.FailedSignInCount, 0),
                cancellationToken) > 0;
        if (locked)
        {
            var lockout = SecurityEvent.Record(
                SecurityEventType.LockedOut, utcNow,
                $"locked for {SignInCommand.LockoutDuration.TotalMinutes:0} minutes after {SignInCommand.MaxFailedAttempts} wrong passwords",
                userId, email, ipAddress: ipAddress);
            db.Raise(lockout);
            await RaiseLockedOutAsync(db, lockout, lockedUntil, LockoutKind.Password, cancellationToken);
            LogLockedOut(logger, userId, lockedUntil);
        }

        return locked;
    }

    /// <summary>Counts a wrong authenticator or recovery code; true when it locked the second factor.</summary>
    public static async Task<bool> CountWrongCodeAsync(
        IAppDbContext db, Guid userId, string email, string? ipAddress, DateTime utcNow, ILogger logger, CancellationToken cancellationToken)
    {
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedMfaCount, u => u.FailedMfaCount + 1), cancellationToken);
        var lockedUntil = utcNow + SecondFactor.LockoutDuration;
        var locked = await db.Users
            .Where(u => u.Id == userId && u.FailedMfaCount >= SecondFactor.MaxFailedAttempts)
            .ExecuteUpdateAsync(
                s => s.SetProperty(u => u.MfaLockedUntil, lockedUntil).SetProperty(u => u.FailedMfaCount, 0),
                cancellationToken) > 0;
        if (locked)
        {
            var lockout = SecurityEvent.Record(
                SecurityEventType.SecondFactorLockedOut, utcNow,
                $"codes refused for {SecondFactor.LockoutDuration.TotalMinutes:0} minutes after {SecondFactor.MaxFailedAttempts} wrong codes",
                userId, email, ipAddress: ipAddress);
            db.Raise(lockout);
            await RaiseLockedOutAsync(db, lockout, lockedUntil, LockoutKind.SecondFactor, cancellationToken);
            LogCodesLockedOut(logger, userId, lockedUntil);
        }

        return locked;
    }

    /// <summary>
    /// Published after the commit, so online administrators hear of it. The trail records the lockout once, from this
    /// event (the security event of the same fact is not recorded twice).
    /// </summary>
    private static async Task RaiseLockedOutAsync(
        IAppDbContext db, SecurityEvent lockout, DateTime lockedUntil, LockoutKind kind, CancellationToken cancellationToken)
    {
        var userId = lockout.UserId!.Value;
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.Name).SingleAsync(cancellationToken);
        db.Raise(new UserLockedOut(
            new UserRef(userId, name, lockout.Email!), lockedUntil,
            lockout.IpAddress is null ? lockout.Detail : $"{lockout.Detail} (from {lockout.IpAddress})", lockout.OccurredAt, kind));
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "User {UserId} locked out until {LockedUntil:o}")]
    private static partial void LogLockedOut(ILogger logger, Guid userId, DateTime lockedUntil);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "User {UserId}: second factor locked until {LockedUntil:o} after wrong codes")]
    private static partial void LogCodesLockedOut(ILogger logger, Guid userId, DateTime lockedUntil);
}

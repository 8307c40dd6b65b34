using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
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
    /// One lockout: whose wrong attempts count, the counter, when it trips, what locking sets (the lock's end,
    /// the counter back to 0), and what the security event and the log say.
    /// </summary>
    private sealed record Lockout(
        LockoutKind Kind,
        SecurityEventType Event,
        TimeSpan Duration,
        string Detail,
        Expression<Func<User, bool>> Counts,
        Action<UpdateSettersBuilder<User>> Count,
        Expression<Func<User, bool>> Reached,
        Func<DateTime, Action<UpdateSettersBuilder<User>>> Lock,
        Action<ILogger, Guid, DateTime> Log);

    /// <summary>
    /// A password the app drew at random is not counted against: no guessing reaches it, and a lockout would only
    /// let anyone keep its holder out (<see cref="User.PasswordIsRandom"/>).
    /// </summary>
    private static readonly Lockout Passwords = new(
        LockoutKind.Password,
        SecurityEventType.LockedOut,
        SignInCommand.LockoutDuration,
        $"locked for {SignInCommand.LockoutDuration.TotalMinutes:0} minutes after {SignInCommand.MaxFailedAttempts} wrong passwords",
        Counts: u => !u.PasswordIsRandom,
        Count: s => s.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1),
        Reached: u => u.FailedSignInCount >= SignInCommand.MaxFailedAttempts,
        Lock: until => s => s.SetProperty(u => u.LockedUntil, until).SetProperty(u => u.FailedSignInCount, 0),
        Log: LogLockedOut);

    private static readonly Lockout Codes = new(
        LockoutKind.SecondFactor,
        SecurityEventType.SecondFactorLockedOut,
        SecondFactor.LockoutDuration,
        $"codes refused for {SecondFactor.LockoutDuration.TotalMinutes:0} minutes after {SecondFactor.MaxFailedAttempts} wrong codes",
        Counts: u => true,
        Count: s => s.SetProperty(u => u.FailedMfaCount, u => u.FailedMfaCount + 1),
        Reached: u => u.FailedMfaCount >= SecondFactor.MaxFailedAttempts,
        Lock: until => s => s.SetProperty(u => u.MfaLockedUntil, until).SetProperty(u => u.FailedMfaCount, 0),
        Log: LogCodesLockedOut);

    /// <summary>Counts a wrong password; true when it locked the account (a random password is not counted: <see cref="Passwords"/>).</summary>
    public static Task<bool> CountWrongPasswordAsync(
        IAppDbContext db, Guid userId, string email, string? ipAddress, DateTime utcNow, ILogger logger, CancellationToken cancellationToken) =>
        CountAsync(db, Passwords, userId, email, ipAddress, utcNow, logger, cancellationToken);

    /// <summary>Counts a wrong authenticator or recovery code; true when it locked the second factor.</summary>
    public static Task<bool> CountWrongCodeAsync(
        IAppDbContext db, Guid userId, string email, string? ipAddress, DateTime utcNow, ILogger logger, CancellationToken cancellationToken) =>
        CountAsync(db, Codes, userId, email, ipAddress, utcNow, logger, cancellationToken);

    /// <summary>
    /// A sign-in that proved the account's holder: wrong passwords forgotten and their lockout lifted, the sign-in time
    /// stamped; with <paramref name="forgetWrongCodes"/>, wrong codes forgotten too. Written in SQL, so the user's version does not move.
    /// </summary>
    public static Task<int> ForgetAfterSignInAsync(
        IAppDbContext db, Guid userId, DateTime utcNow, bool forgetWrongCodes, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(u => u.FailedSignInCount, 0)
                    .SetProperty(u => u.LockedUntil, (DateTime?)null)
                    .SetProperty(u => u.FailedMfaCount, u => forgetWrongCodes ? 0 : u.FailedMfaCount)
                    .SetProperty(u => u.LastSignInAt, utcNow),
                cancellationToken);

    private static async Task<bool> CountAsync(
        IAppDbContext db, Lockout lockout, Guid userId, string email, string? ipAddress, DateTime utcNow, ILogger logger,
        CancellationToken cancellationToken)
    {
        await db.Users.Where(u => u.Id == userId).Where(lockout.Counts).ExecuteUpdateAsync(lockout.Count, cancellationToken);
        var lockedUntil = utcNow + lockout.Duration;
        var locked = await db.Users.Where(u => u.Id == userId).Where(lockout.Reached)
            .ExecuteUpdateAsync(lockout.Lock(lockedUntil), cancellationToken) > 0;
        if (locked)
        {
            var lockedOut = SecurityEvent.Record(lockout.Event, utcNow, lockout.Detail, userId, email, ipAddress: ipAddress);
            db.Raise(lockedOut);
            await RaiseLockedOutAsync(db, lockedOut, lockedUntil, lockout.Kind, cancellationToken);
            lockout.Log(logger, userId, lockedUntil);
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

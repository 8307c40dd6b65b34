using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>Checks an email and password and starts a session. Anyone may send it.</summary>
public sealed record SignInCommand(string Email, string Password, string? IpAddress) : ICommand<Result<SignedIn>>, IPublicMessage
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    // The password is never part of the message's text, so it cannot reach a log through ToString().
    public override string ToString() => $"SignInCommand {{ Email = {Email}, IpAddress = {IpAddress} }}";
}

public sealed class SignInCommandValidator : AbstractValidator<SignInCommand>
{
    public SignInCommandValidator()
    {
        RuleFor(c => c.Email).Must(e => !string.IsNullOrWhiteSpace(e)).WithMessage("Enter your email.")
            .MaximumLength(UserRules.EmailMaxLength).WithMessage("Enter your email.");
        RuleFor(c => c.Password).Must(p => !string.IsNullOrEmpty(p)).WithMessage("Enter your password.")
            .Must(p => p is null || PasswordRules.LengthOf(p) <= PasswordRules.MaxLength * 4).WithMessage(SignInRefusedError.Text);
    }
}

public sealed partial class SignInCommandHandler(
    IAppDbContextFactory dbFactory, IPasswordHasher hasher, TimeProvider clock, ILogger<SignInCommandHandler> logger)
    : ICommandHandler<SignInCommand, Result<SignedIn>>
{
    // Checked against when the account does not exist, so an unknown email costs as much time as a known one.
    private static string? _decoyHash;

    public async ValueTask<Result<SignedIn>> Handle(SignInCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var key = UserRules.EmailKey(command.Email);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == key, cancellationToken);

        if (user is null || !user.CanSignIn || user.IsLockedAt(now))
        {
            hasher.Verify(user?.PasswordHash ?? (_decoyHash ??= hasher.Hash(Guid.NewGuid().ToString())), command.Password);
            var reason = user is null ? "unknown email" : user.IsLockedAt(now) ? "account locked" : "account disabled or without password";
            return await RefuseAsync(db, command, user?.Id, reason, now, cancellationToken);
        }

        var verification = hasher.Verify(user.PasswordHash!, command.Password);
        if (verification == PasswordVerification.Failed)
        {
            return await RecordFailureAsync(db, command, user, now, cancellationToken);
        }

        if (user.HasExpiredPasswordAt(now))
        {
            await RefuseAsync(db, command, user.Id, "temporary password expired", now, cancellationToken);
            return new TemporaryPasswordExpiredError();
        }

        // Success: the bookkeeping is written without moving the user's version, so it never conflicts with an
        // administrator editing the user, and only if the password did not change meanwhile.
        var rehash = verification == PasswordVerification.SucceededRehashNeeded ? hasher.Hash(command.Password) : user.PasswordHash!;
        var stamp = user.SecurityStamp;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.Users.Where(u => u.Id == user.Id && u.SecurityStamp == stamp)
            .ExecuteUpdateAsync(
                s => s.SetProperty(u => u.PasswordHash, rehash)
                    .SetProperty(u => u.FailedSignInCount, 0)
                    .SetProperty(u => u.LockedUntil, (DateTime?)null)
                    .SetProperty(u => u.LastSignInAt, now),
                cancellationToken);
        if (updated == 0)
        {
            var refused = await RefuseAsync(db, command, user.Id, "password changed during sign-in", now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return refused;
        }

        var session = UserSession.Start(user.Id, stamp, now);
        db.Sessions.Add(session);
        db.SecurityEvents.Add(SecurityEvent.Record(
            SecurityEventType.SignInSucceeded, now, verification == PasswordVerification.SucceededRehashNeeded ? "signed in; hash upgraded" : "signed in",
            user.Id, user.Email, ipAddress: command.IpAddress));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogSignedIn(user.Id, command.IpAddress);
        return new SignedIn(user.Id, session.Id, user.Email, user.Role, user.MustChangePassword);
    }

    private async Task<Result<SignedIn>> RecordFailureAsync(
        IAppDbContext db, SignInCommand command, User user, DateTime now, CancellationToken cancellationToken)
    {
        // Counted in the database itself, so parallel attempts cannot undercount; the lockout and its record
        // land together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1), cancellationToken);
        var lockedUntil = now + SignInCommand.LockoutDuration;
        var locked = await db.Users
            .Where(u => u.Id == user.Id && u.FailedSignInCount >= SignInCommand.MaxFailedAttempts)
            .ExecuteUpdateAsync(
                s => s.SetProperty(u => u.LockedUntil, lockedUntil).SetProperty(u => u.FailedSignInCount, 0),
                cancellationToken);
        if (locked > 0)
        {
            db.SecurityEvents.Add(SecurityEvent.Record(
                SecurityEventType.LockedOut, now, $"locked for {SignInCommand.LockoutDuration.TotalMinutes:0} minutes after {SignInCommand.MaxFailedAttempts} failed attempts",
                user.Id, user.Email, ipAddress: command.IpAddress));
            LogLockedOut(user.Id, lockedUntil);
        }

        var refused = await RefuseAsync(db, command, user.Id, "wrong password", now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return refused;
    }

    private async Task<Result<SignedIn>> RefuseAsync(
        IAppDbContext db, SignInCommand command, Guid? userId, string reason, DateTime now, CancellationToken cancellationToken)
    {
        db.SecurityEvents.Add(SecurityEvent.Record(
            SecurityEventType.SignInFailed, now, reason, userId, command.Email, ipAddress: command.IpAddress));
        await db.SaveChangesAsync(cancellationToken);
        LogSignInFailed(userId, reason, command.IpAddress);
        return new SignInRefusedError();
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Sign-in succeeded for user {UserId} from {IpAddress}")]
    private partial void LogSignedIn(Guid userId, string? ipAddress);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Sign-in failed for user {UserId}: {Reason}, from {IpAddress}")]
    private partial void LogSignInFailed(Guid? userId, string reason, string? ipAddress);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "User {UserId} locked out until {LockedUntil:o}")]
    private partial void LogLockedOut(Guid userId, DateTime lockedUntil);
}

using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// Checks an email and password and starts a session, or, for a user with MFA, a session that waits for the
/// authenticator code (<see cref="VerifySecondFactorCommand"/>). Anyone may send it.
/// </summary>
public sealed record SignInCommand(string Email, string Password, string? IpAddress) : ICommand<Result<SignedIn>>, IPublicMessage
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    // The password is never part of the message's text, so it cannot reach a log through ToString().
    public override string ToString() => $"SignInCommand {{ IpAddress = {IpAddress} }}";
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
    IAppDbContextFactory dbFactory, IPasswordHasher hasher, MfaPolicy mfaPolicy, TimeProvider clock, ILogger<SignInCommandHandler> logger)
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

        // A locked account with MFA still takes the right password on to the code: the lockout that anyone can
        // cause with wrong passwords is lifted by the password and a second factor together (ADR 0009).
        var lockedForGood = user is not null && user.IsLockedAt(now) && !user.HasMfa;
        if (user is null || !user.CanSignIn || lockedForGood)
        {
            hasher.Verify(user?.PasswordHash ?? (_decoyHash ??= hasher.Hash(Guid.NewGuid().ToString())), command.Password);
            var reason = user is null ? "unknown email" : lockedForGood ? "account locked" : "account disabled or without password";
            return await RefuseAsync(db, command, user, reason, now, cancellationToken);
        }

        var verification = hasher.Verify(user.PasswordHash!, command.Password);
        if (verification == PasswordVerification.Failed)
        {
            await using var failure = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!user.IsLockedAt(now))
            {
                await FailedAttempts.CountWrongPasswordAsync(db, user.Id, user.Email, command.IpAddress, now, logger, cancellationToken);
            }

            var refused = await RefuseAsync(db, command, user, user.IsLockedAt(now) ? "account locked" : "wrong password", now, cancellationToken);
            await failure.CommitAsync(cancellationToken);
            return refused;
        }

        if (user.HasExpiredPasswordAt(now))
        {
            await RefuseAsync(db, command, user, "temporary password expired", now, cancellationToken);
            return new TemporaryPasswordExpiredError();
        }

        if (user.HasMfa)
        {
            return await AwaitSecondFactorAsync(db, command, user, now, cancellationToken);
        }

        // Success: the bookkeeping is written without moving the user's version, so it never conflicts with an
        // administrator editing the user, and only if the password did not change meanwhile. An administrator
        // without MFA starts the grace period at their first sign-in.
        var rehash = verification == PasswordVerification.SucceededRehashNeeded ? hasher.Hash(command.Password) : user.PasswordHash!;
        var stamp = user.SecurityStamp;
        DateTime? deadline = mfaPolicy.AppliesTo(user.Role) ? user.MfaDeadline ?? now + mfaPolicy.GracePeriod : user.MfaDeadline;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var updated = await db.Users.Where(u => u.Id == user.Id && u.SecurityStamp == stamp)
            .ExecuteUpdateAsync(
                s => s.SetProperty(u => u.PasswordHash, rehash)
                    .SetProperty(u => u.FailedSignInCount, 0)
                    .SetProperty(u => u.LockedUntil, (DateTime?)null)
                    .SetProperty(u => u.LastSignInAt, now)
                    .SetProperty(u => u.MfaDeadline, deadline),
                cancellationToken);
        if (updated == 0)
        {
            var refused = await RefuseAsync(db, command, user, "password changed during sign-in", now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return refused;
        }

        var session = UserSession.Start(user.Id, stamp, now);
        db.Sessions.Add(session);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.SignInSucceeded, now, verification == PasswordVerification.SucceededRehashNeeded ? "signed in; hash upgraded" : "signed in",
            user.Id, user.Email, ipAddress: command.IpAddress));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogSignedIn(user.Id, command.IpAddress);
        var mustEnrol = mfaPolicy.AppliesTo(user.Role) && deadline <= now;
        return new SignedIn(user.Id, session.Id, user.Email, user.Role, user.MustChangePassword, mustEnrol);
    }

    /// <summary>The password was right and the user has MFA: a session that waits for the code, usable by nothing yet.</summary>
    private async Task<Result<SignedIn>> AwaitSecondFactorAsync(
        IAppDbContext db, SignInCommand command, User user, DateTime now, CancellationToken cancellationToken)
    {
        if (user.MfaLockedUntil > now)
        {
            return await RefuseAsync(db, command, user, "second factor locked", now, cancellationToken);
        }

        var session = UserSession.Start(user.Id, user.SecurityStamp, now, awaitingSecondFactor: true);
        db.Sessions.Add(session);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.SecondFactorRequested, now, user.IsLockedAt(now) ? "password right while locked; code asked" : "password right; code asked",
            user.Id, user.Email, ipAddress: command.IpAddress));
        await db.SaveChangesAsync(cancellationToken);
        LogSecondFactorRequested(user.Id, command.IpAddress);
        return new SignedIn(user.Id, session.Id, user.Email, user.Role, user.MustChangePassword, SecondFactorRequired: true);
    }

    private async Task<Result<SignedIn>> RefuseAsync(
        IAppDbContext db, SignInCommand command, User? user, string reason, DateTime now, CancellationToken cancellationToken)
    {
        // An unknown "email" may be a password typed into the wrong box: keep only a masked form of it.
        var email = user?.Email ?? SecurityEvent.MaskUnknownEmail(command.Email);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.SignInFailed, now, reason, user?.Id, email, ipAddress: command.IpAddress));
        await db.SaveChangesAsync(cancellationToken);
        LogSignInFailed(user?.Id, reason, command.IpAddress);
        return new SignInRefusedError();
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Sign-in succeeded for user {UserId} from {IpAddress}")]
    private partial void LogSignedIn(Guid userId, string? ipAddress);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Sign-in failed for user {UserId}: {Reason}, from {IpAddress}")]
    private partial void LogSignInFailed(Guid? userId, string reason, string? ipAddress);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Password right for user {UserId} from {IpAddress}; waiting for the second factor")]
    private partial void LogSecondFactorRequested(Guid userId, string? ipAddress);
}

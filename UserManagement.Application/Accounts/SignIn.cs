using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// Checks an email and password and starts a session, or, for a user with MFA, a session that waits for the
/// authenticator code (<see cref="VerifySecondFactorCommand"/>). A <see cref="Code"/> typed with the password (an
/// authenticator or recovery code) is checked with it: both right sign in at once, even through a password lockout
/// (ADR 0009, ADR 0025). Anyone may send it.
/// </summary>
public sealed record SignInCommand(string Email, string Password, string? IpAddress, string? Code = null) : ICommand<Result<SignedIn>>, IPublicMessage
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    // The password and the code are never part of the message's text, so they cannot reach a log through ToString().
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
        RuleFor(c => c.Code).MaximumLength(40).WithMessage(SignInRefusedError.Text);
    }
}

/// <summary>
/// The password step. While an account is locked after wrong passwords, the password's verdict is withheld: the right
/// password without a right code gets the refusal a wrong one gets, so a locked account is no password oracle (ADR
/// 0025), and only someone who holds both factors gets through. An unknown email costs a hash verification too and
/// gets that same refusal.
/// </summary>
public sealed partial class SignInCommandHandler(
    IAppDbContextFactory dbFactory, IPasswordHasher hasher, ISecretProtector protector, MfaPolicy mfaPolicy, TimeProvider clock,
    ILogger<SignInCommandHandler> logger)
    : ICommandHandler<SignInCommand, Result<SignedIn>>
{
    // Checked against when the account does not exist, so an unknown email costs as much time as a known one.
    private static string? _decoyHash;

    public async ValueTask<Result<SignedIn>> Handle(SignInCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var key = UserRules.EmailKey(command.Email);
        var code = string.IsNullOrWhiteSpace(command.Code) ? null : command.Code;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == key, cancellationToken);

        // A locked account without a second factor has nothing that could lift the lockout: refused whatever is typed.
        var locked = user is not null && user.IsLockedAt(now);
        var lockedForGood = locked && !user!.HasMfa;
        if (user is null || !user.CanSignIn || lockedForGood)
        {
            hasher.Verify(user?.PasswordHash ?? (_decoyHash ??= hasher.Hash(Guid.NewGuid().ToString())), command.Password);
            var reason = user is null ? "unknown email" : lockedForGood ? "account locked" : "account disabled or without password";
            return await RefuseAsync(db, command, user, reason, now, cancellationToken);
        }

        var verification = hasher.Verify(user.PasswordHash!, command.Password);

        // An older hash is upgraded now, before the transaction takes the write lock. Not while locked: a second hash
        // would tell the right password by its time, so the upgrade waits for a later sign-in.
        var upgrade = verification == PasswordVerification.SucceededRehashNeeded && !locked;
        var storedHash = upgrade ? hasher.Hash(command.Password) : user.PasswordHash!;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (verification == PasswordVerification.Failed)
        {
            // Wrong passwords while locked are not counted: the lockout runs its 15 minutes and no guess makes it longer.
            if (!locked)
            {
                await FailedAttempts.CountWrongPasswordAsync(db, user.Id, user.Email, command.IpAddress, now, logger, cancellationToken);
            }

            // Someone holding a right code (seen over a shoulder, phished) who guesses the password: each guess counts
            // toward the code lockout, as a wrong code beside the right password does, so one factor alone buys 5 tries
            // per 15 minutes at the other. The code is not used up: its owner may still need it.
            if (code is not null && await SecondFactor.WouldTakeAsync(db, protector, user, code, now, cancellationToken))
            {
                await FailedAttempts.CountWrongCodeAsync(db, user.Id, user.Email, command.IpAddress, now, logger, cancellationToken);
                db.Raise(SecurityEvent.Record(
                    SecurityEventType.SecondFactorFailed, now, "right code typed beside a wrong password", user.Id, user.Email, ipAddress: command.IpAddress));
            }

            return await RefuseAndCommitAsync(db, transaction, command, user, locked ? "account locked; wrong password" : "wrong password", now, cancellationToken);
        }

        // The password was right. While locked, only the code with it counts; the answer is the one a wrong password gets.
        SecondFactorUsed? used = null;
        if (locked)
        {
            if (code is null || user.MfaLockedUntil > now)
            {
                return await RefuseAndCommitAsync(
                    db, transaction, command, user, code is null ? "account locked; password right, no code" : "account locked; codes locked too", now, cancellationToken);
            }

            (used, _) = await UseCodeAsync(db, command, user, code, now, cancellationToken);
            if (used is null)
            {
                return await RefuseAndCommitAsync(db, transaction, command, user, "account locked; password right, code wrong", now, cancellationToken);
            }
        }

        if (user.HasExpiredPasswordAt(now))
        {
            await RefuseAndCommitAsync(db, transaction, command, user, "temporary password expired", now, cancellationToken);
            return new TemporaryPasswordExpiredError();
        }

        if (user.HasMfa && used is null)
        {
            // A code typed with the password saves the second step; a wrong one counts, and the second step follows
            // (unless that wrong code locked the codes).
            var codesLocked = user.MfaLockedUntil > now;
            if (code is not null && !codesLocked)
            {
                (used, codesLocked) = await UseCodeAsync(db, command, user, code, now, cancellationToken);
            }

            if (used is null && codesLocked)
            {
                return await RefuseAndCommitAsync(db, transaction, command, user, "second factor locked", now, cancellationToken);
            }

            if (used is null)
            {
                var pending = await AwaitSecondFactorAsync(db, command, user, now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return pending;
            }
        }

        // Success: the bookkeeping is written without moving the user's version, so it never conflicts with an
        // administrator editing the user, and only if the password did not change meanwhile. Both factors lift a
        // lockout of either kind. An administrator without MFA starts the grace period at their first sign-in.
        var stamp = user.SecurityStamp;
        var bothFactors = used is not null;
        DateTime? deadline = mfaPolicy.AppliesTo(user.Role) && !user.HasMfa ? user.MfaDeadline ?? now + mfaPolicy.GracePeriod : user.MfaDeadline;
        var updated = await db.Users.Where(u => u.Id == user.Id && u.SecurityStamp == stamp)
            .ExecuteUpdateAsync(
                s => s.SetProperty(u => u.PasswordHash, storedHash)
                    .SetProperty(u => u.FailedSignInCount, 0)
                    .SetProperty(u => u.LockedUntil, (DateTime?)null)
                    .SetProperty(u => u.FailedMfaCount, u => bothFactors ? 0 : u.FailedMfaCount)
                    .SetProperty(u => u.LastSignInAt, now)
                    .SetProperty(u => u.MfaDeadline, deadline),
                cancellationToken);
        if (updated == 0)
        {
            return await RefuseAndCommitAsync(db, transaction, command, user, "password changed during sign-in", now, cancellationToken);
        }

        var session = UserSession.Start(user.Id, stamp, now);
        db.Sessions.Add(session);
        db.Raise(SecurityEvent.Record(
            used == SecondFactorUsed.RecoveryCode ? SecurityEventType.RecoveryCodeUsed : SecurityEventType.SignInSucceeded, now,
            SuccessDetail(upgrade, used, locked), user.Id, user.Email, ipAddress: command.IpAddress));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogSignedIn(user.Id, command.IpAddress);
        var mustEnrol = mfaPolicy.AppliesTo(user.Role) && !user.HasMfa && deadline <= now;
        return new SignedIn(user.Id, session.Id, user.Email, user.Role, user.MustChangePassword, mustEnrol);
    }

    private static string SuccessDetail(bool upgraded, SecondFactorUsed? used, bool locked) =>
        (used switch
        {
            SecondFactorUsed.Authenticator => "signed in with the password and an authenticator code",
            SecondFactorUsed.RecoveryCode => "signed in with the password and a recovery code",
            _ => "signed in",
        })
        + (locked ? "; lockout lifted" : string.Empty)
        + (upgraded ? "; hash upgraded" : string.Empty);

    /// <summary>
    /// Checks and spends the code typed with the right password. A wrong one counts toward the code lockout, which only
    /// someone who knows the password can cause; true when it caused it.
    /// </summary>
    private async Task<(SecondFactorUsed? Used, bool CodesLocked)> UseCodeAsync(
        IAppDbContext db, SignInCommand command, User user, string code, DateTime now, CancellationToken cancellationToken)
    {
        var used = await SecondFactor.UseAsync(db, protector, user, code, allowRecoveryCode: true, now, cancellationToken);
        if (used is not null)
        {
            return (used, false);
        }

        var locked = await FailedAttempts.CountWrongCodeAsync(db, user.Id, user.Email, command.IpAddress, now, logger, cancellationToken);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.SecondFactorFailed, now, "wrong or reused code typed with the password", user.Id, user.Email, ipAddress: command.IpAddress));
        return (null, locked);
    }

    private async Task<Result<SignedIn>> RefuseAndCommitAsync(
        IAppDbContext db, IDbContextTransaction transaction, SignInCommand command, User user, string reason,
        DateTime now, CancellationToken cancellationToken)
    {
        var refused = await RefuseAsync(db, command, user, reason, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return refused;
    }

    /// <summary>
    /// The password was right, the account is not locked and the user has MFA: a session that waits for the code,
    /// usable by nothing yet.
    /// </summary>
    private async Task<Result<SignedIn>> AwaitSecondFactorAsync(
        IAppDbContext db, SignInCommand command, User user, DateTime now, CancellationToken cancellationToken)
    {
        var session = UserSession.Start(user.Id, user.SecurityStamp, now, awaitingSecondFactor: true);
        db.Sessions.Add(session);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.SecondFactorRequested, now, "password right; code asked", user.Id, user.Email, ipAddress: command.IpAddress));
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

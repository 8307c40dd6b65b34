using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

/// <summary>
/// The second step of signing in with MFA: the code from the authenticator app, or one of the recovery codes,
/// for the session the password step started. Anyone may send it, but it needs that session's id, which only the
/// browser that passed the password step holds (in a protected cookie), and it works for five minutes.
/// </summary>
public sealed record VerifySecondFactorCommand(Guid PendingSessionId, string Code, string? IpAddress)
    : ICommand<Result<SignedIn>>, IPublicMessage
{
    public override string ToString() => $"VerifySecondFactorCommand {{ PendingSessionId = {PendingSessionId}, IpAddress = {IpAddress} }}";
}

public sealed class VerifySecondFactorCommandValidator : AbstractValidator<VerifySecondFactorCommand>
{
    public VerifySecondFactorCommandValidator() =>
        RuleFor(c => c.Code).Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("Enter the code from your authenticator app, or a recovery code.")
            .MaximumLength(40).WithMessage(SecondFactorRefusedError.Wrong);
}

public sealed partial class VerifySecondFactorCommandHandler(
    IAppDbContextFactory dbFactory, ISecretProtector protector, TimeProvider clock,
    ILogger<VerifySecondFactorCommandHandler> logger)
    : ICommandHandler<VerifySecondFactorCommand, Result<SignedIn>>
{
    public async ValueTask<Result<SignedIn>> Handle(VerifySecondFactorCommand command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == command.PendingSessionId, cancellationToken);
        var user = session is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == session.UserId, cancellationToken);
        if (session is null || user is null || !session.CanCompleteSecondFactorAt(now) || !user.CanSignIn
            || user.SecurityStamp != session.SecurityStamp || !user.HasMfa)
        {
            return new SecondFactorRefusedError(SecondFactorRefusedError.Expired);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (user.MfaLockedUntil > now)
        {
            session.End("second factor locked", now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new SecondFactorRefusedError(SecondFactorRefusedError.Locked);
        }

        var used = await SecondFactor.UseAsync(db, protector, user, command.Code, allowRecoveryCode: true, now, cancellationToken);
        if (used is null)
        {
            var locked = await FailedAttempts.CountWrongCodeAsync(db, user.Id, user.Email, command.IpAddress, now, logger, cancellationToken);
            db.Raise(SecurityEvent.Record(SecurityEventType.SecondFactorFailed, now, "wrong or reused code", user.Id, user.Email, ipAddress: command.IpAddress));
            if (locked)
            {
                session.End("second factor locked", now);
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogRefused(user.Id, command.IpAddress);
            return new SecondFactorRefusedError(locked ? SecondFactorRefusedError.Locked : SecondFactorRefusedError.Wrong);
        }

        // Both factors were right: this lifts a password lockout too (ADR 0009).
        await FailedAttempts.ForgetAfterSignInAsync(db, user.Id, now, forgetWrongCodes: true, cancellationToken);
        session.CompleteSecondFactor(now);
        var left = used == SecondFactorUsed.RecoveryCode
            ? await db.RecoveryCodes.CountAsync(c => c.UserId == user.Id && c.UsedAt == null, cancellationToken)
            : (int?)null;
        db.Raise(SecurityEvent.Record(
            used == SecondFactorUsed.RecoveryCode ? SecurityEventType.RecoveryCodeUsed : SecurityEventType.SignInSucceeded, now,
            used == SecondFactorUsed.RecoveryCode ? $"signed in with a recovery code; {left} left" : "signed in with an authenticator code",
            user.Id, user.Email, ipAddress: command.IpAddress));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogSignedIn(user.Id, used.Value, command.IpAddress);
        return new SignedIn(user.Id, session.Id, user.Email, user.Role, user.MustChangePassword);
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Sign-in completed for user {UserId} with {Factor} from {IpAddress}")]
    private partial void LogSignedIn(Guid userId, SecondFactorUsed factor, string? ipAddress);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Second factor refused for user {UserId} from {IpAddress}")]
    private partial void LogRefused(Guid userId, string? ipAddress);
}

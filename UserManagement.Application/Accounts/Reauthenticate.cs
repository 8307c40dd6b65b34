using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// The caller proves again who they are (ASVS 5.0 7.5.1) with their password or an authenticator code, before a
/// sensitive action. Wrong passwords count toward the sign-in lockout and wrong codes toward the code lockout; a
/// lockout signs this session out.
/// </summary>
public sealed record ReauthenticateCommand(string Secret) : ICommand<Result>, ISignedInMessage
{
    public const string Wrong = "That is not your password, or not a current authenticator code.";
    public const string Locked = "Too many wrong attempts: your account is locked for 15 minutes and this session has ended.";

    public override string ToString() => nameof(ReauthenticateCommand);
}

public sealed class ReauthenticateCommandValidator : AbstractValidator<ReauthenticateCommand>
{
    public ReauthenticateCommandValidator() =>
        RuleFor(c => c.Secret).Must(s => !string.IsNullOrEmpty(s)).WithMessage("Enter your password or an authenticator code.")
            .Must(s => s is null || PasswordRules.LengthOf(s) <= PasswordRules.MaxLength * 4).WithMessage(ReauthenticateCommand.Wrong);
}

public sealed partial class ReauthenticateCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, IPasswordHasher hasher, ISecretProtector protector,
    TimeProvider clock, ILogger<ReauthenticateCommandHandler> logger)
    : ICommandHandler<ReauthenticateCommand, Result>
{
    public async ValueTask<Result> Handle(ReauthenticateCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // An authenticator code (six digits) is tried as one when the user has MFA; anything else is a password.
        var asCode = user.HasMfa && SecondFactor.LooksLikeTotp(command.Secret);
        var proved = asCode
            ? !(user.MfaLockedUntil > now)
                && await SecondFactor.UseAsync(db, protector, user, command.Secret, allowRecoveryCode: false, now, cancellationToken) is not null
            : !user.IsLockedAt(now) && user.PasswordHash is not null
                && hasher.Verify(user.PasswordHash, command.Secret) != PasswordVerification.Failed;
        if (!proved)
        {
            var refusal = await RefuseAsync(db, user, caller, asCode, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return refusal;
        }

        await db.Sessions.Where(s => s.Id == caller.SessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReauthenticatedAt, now), cancellationToken);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.Reauthenticated, now, asCode ? "confirmed with an authenticator code" : "confirmed with the password", user.Id, user.Email));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogReauthenticated(user.Id);
        return Result.Success();
    }

    private async Task<Result> RefuseAsync(IAppDbContext db, User user, Caller caller, bool asCode, DateTime now, CancellationToken cancellationToken)
    {
        var alreadyLocked = asCode ? user.MfaLockedUntil > now : user.IsLockedAt(now);
        var locked = alreadyLocked || (asCode
            ? await FailedAttempts.CountWrongCodeAsync(db, user.Id, user.Email, null, now, logger, cancellationToken)
            : await FailedAttempts.CountWrongPasswordAsync(db, user.Id, user.Email, null, now, logger, cancellationToken));
        db.Raise(SecurityEvent.Record(
            SecurityEventType.ReauthenticationFailed, now, asCode ? "wrong authenticator code" : "wrong password", user.Id, user.Email));
        if (locked)
        {
            await db.Sessions.Where(s => s.Id == caller.SessionId).EndAsync("locked after wrong re-authentication", now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        LogRefused(user.Id, locked);
        return locked ? new ForbiddenError(ReauthenticateCommand.Locked) : ValidationError.ForField(nameof(ReauthenticateCommand.Secret), ReauthenticateCommand.Wrong);
    }

    [LoggerMessage(EventId = 1090, Level = LogLevel.Information, Message = "User {UserId} re-authenticated")]
    private partial void LogReauthenticated(Guid userId);

    [LoggerMessage(EventId = 1091, Level = LogLevel.Warning, Message = "Re-authentication refused for user {UserId}; locked: {Locked}")]
    private partial void LogRefused(Guid userId, bool locked);
}

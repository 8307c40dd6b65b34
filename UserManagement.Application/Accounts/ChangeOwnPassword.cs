using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// The signed-in user changes their own password (also the forced change after a temporary one). Every session
/// of theirs ends, and a new one starts for the browser that made the change. The current password is the
/// re-authentication (ASVS 5.0 7.5.1), so wrong ones count toward the same lockout as wrong passwords at
/// sign-in; the lockout ends the session that guessed.
/// </summary>
public sealed record ChangeOwnPasswordCommand(string CurrentPassword, string NewPassword)
    : ICommand<Result<SignedIn>>, ISignedInMessage
{
    public const string WrongCurrentPassword = "Your current password is not correct.";
    public const string SameAsCurrent = "Choose a password different from your current one.";
    public const string Locked = "Too many wrong passwords: your account is locked for 15 minutes and this session has ended. Sign in again later.";

    public override string ToString() => nameof(ChangeOwnPasswordCommand);
}

public sealed class ChangeOwnPasswordCommandValidator : AbstractValidator<ChangeOwnPasswordCommand>
{
    public ChangeOwnPasswordCommandValidator()
    {
        // Exactly as sign-in takes it: a password that signs in can always be entered here (even one of only spaces).
        RuleFor(c => c.CurrentPassword).Must(p => !string.IsNullOrEmpty(p)).WithMessage("Enter your current password.")
            .Must(p => p is null || PasswordRules.LengthOf(p) <= PasswordRules.MaxLength * 4).WithMessage(ChangeOwnPasswordCommand.WrongCurrentPassword);
        RuleFor(c => c.NewPassword).ValidPassword()
            .NotEqual(c => c.CurrentPassword).WithMessage(ChangeOwnPasswordCommand.SameAsCurrent);
    }
}

public sealed partial class ChangeOwnPasswordCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, IPasswordHasher hasher, MfaPolicy mfaPolicy, TimeProvider clock,
    ILogger<ChangeOwnPasswordCommandHandler> logger)
    : ICommandHandler<ChangeOwnPasswordCommand, Result<SignedIn>>
{
    public async ValueTask<Result<SignedIn>> Handle(ChangeOwnPasswordCommand command, CancellationToken cancellationToken)
    {
        var caller = await currentUser.GetCallerAsync(cancellationToken);
        if (caller is null)
        {
            return new ForbiddenError(AuthorizationBehavior<ChangeOwnPasswordCommand, Result<SignedIn>>.SignInRequired);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        if (user.IsLockedAt(now))
        {
            return await RefuseAsync(db, user, caller, locked: true, now, cancellationToken);
        }

        if (user.PasswordHash is null || hasher.Verify(user.PasswordHash, command.CurrentPassword) == PasswordVerification.Failed)
        {
            await using var failure = await db.Database.BeginTransactionAsync(cancellationToken);
            var locked = await FailedAttempts.CountWrongPasswordAsync(db, user.Id, user.Email, null, now, logger, cancellationToken);
            var refused = await RefuseAsync(db, user, caller, locked, now, cancellationToken);
            await failure.CommitAsync(cancellationToken);
            return refused;
        }

        if (PasswordRules.PersonalInfoIn(command.NewPassword, user.Name, user.Email) is { } personal)
        {
            return ValidationError.ForField(nameof(command.NewPassword), personal);
        }

        // Ending the old sessions and saving the new password land together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.SetPassword(hasher.Hash(command.NewPassword), temporary: false, now);
        await db.EndSessionsOfAsync(user.Ref, "password changed", now, cancellationToken);
        var session = UserSession.Start(user.Id, user.SecurityStamp, now);
        db.Sessions.Add(session);
        db.Raise(SecurityEvent.Record(SecurityEventType.PasswordChanged, now, "changed own password; other sessions ended", user.Id, user.Email));
        var error = await db.TrySaveUserAsync(user.Id, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        await transaction.CommitAsync(cancellationToken);
        LogPasswordChanged(user.Id);
        // The first administrator goes on to set up MFA at once (ADR 0025), as does anyone past their grace period.
        var mustEnrol = mfaPolicy.AppliesTo(user.Role) && !user.HasMfa && user.MfaDeadline <= now;
        return new SignedIn(user.Id, session.Id, user.Email, user.Role, MustChangePassword: false, mustEnrol);
    }

    private async Task<Result<SignedIn>> RefuseAsync(
        IAppDbContext db, User user, Caller caller, bool locked, DateTime now, CancellationToken cancellationToken)
    {
        db.Raise(SecurityEvent.Record(
            SecurityEventType.CurrentPasswordFailed, now, locked ? "password change refused: account locked; session ended" : "wrong current password at a password change",
            user.Id, user.Email));
        if (locked)
        {
            await db.Sessions.Where(s => s.Id == caller.SessionId).EndAsync("locked after wrong current passwords", now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        LogWrongCurrentPassword(user.Id, caller.SessionId, locked);
        return locked
            ? new ForbiddenError(ChangeOwnPasswordCommand.Locked)
            : ValidationError.ForField(nameof(ChangeOwnPasswordCommand.CurrentPassword), ChangeOwnPasswordCommand.WrongCurrentPassword);
    }

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "Password change refused for user {UserId} in session {SessionId}: wrong current password; locked: {Locked}")]
    private partial void LogWrongCurrentPassword(Guid userId, Guid sessionId, bool locked);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "User {UserId} changed their password; their other sessions ended")]
    private partial void LogPasswordChanged(Guid userId);
}

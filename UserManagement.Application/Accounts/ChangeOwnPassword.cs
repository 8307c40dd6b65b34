using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// The signed-in user changes their own password (also the forced change after a temporary one). Every session
/// of theirs ends, and a new one starts for the browser that made the change.
/// </summary>
public sealed record ChangeOwnPasswordCommand(string CurrentPassword, string NewPassword)
    : ICommand<Result<SignedIn>>, ISignedInMessage
{
    public const string WrongCurrentPassword = "Your current password is not correct.";
    public const string SameAsCurrent = "Choose a password different from your current one.";

    public override string ToString() => nameof(ChangeOwnPasswordCommand);
}

public sealed class ChangeOwnPasswordCommandValidator : AbstractValidator<ChangeOwnPasswordCommand>
{
    public ChangeOwnPasswordCommandValidator()
    {
        RuleFor(c => c.CurrentPassword).NotEmpty().WithMessage("Enter your current password.");
        RuleFor(c => c.NewPassword).ValidPassword()
            .NotEqual(c => c.CurrentPassword).WithMessage(ChangeOwnPasswordCommand.SameAsCurrent);
    }
}

public sealed partial class ChangeOwnPasswordCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, IPasswordHasher hasher, TimeProvider clock,
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
        if (user.PasswordHash is null || hasher.Verify(user.PasswordHash, command.CurrentPassword) == PasswordVerification.Failed)
        {
            return ValidationError.ForField(nameof(command.CurrentPassword), ChangeOwnPasswordCommand.WrongCurrentPassword);
        }

        if (string.Equals(command.NewPassword.Trim(), user.Email, StringComparison.OrdinalIgnoreCase))
        {
            return ValidationError.ForField(nameof(command.NewPassword), PasswordRules.SameAsEmail);
        }

        // Ending the old sessions and saving the new password land together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.SetPassword(hasher.Hash(command.NewPassword), temporary: false, now);
        await db.EndSessionsOfAsync(user.Ref, "password changed", now, cancellationToken);
        var session = UserSession.Start(user.Id, user.SecurityStamp, now);
        db.Sessions.Add(session);
        db.SecurityEvents.Add(SecurityEvent.Record(SecurityEventType.PasswordChanged, now, "changed own password; other sessions ended", user.Id, user.Email));
        var error = await db.TrySaveUserAsync(user.Id, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        await transaction.CommitAsync(cancellationToken);
        LogPasswordChanged(user.Id);
        return new SignedIn(user.Id, session.Id, user.Email, user.Role, MustChangePassword: false);
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "User {UserId} changed their password; their other sessions ended")]
    private partial void LogPasswordChanged(Guid userId);
}

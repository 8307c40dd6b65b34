using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// An administrator removes another user's MFA (a lost phone): their recovery codes go, their sessions end, and
/// an Administrator must set MFA up again at the next sign-in. Returns the new version.
/// </summary>
public sealed record ResetUserMfaCommand(Guid Id, long Version) : ICommand<Result<long>>, IRequiresReauthentication
{
    public const string NotForYourself = "To change your own MFA, use Two-factor authentication.";
    public const string NotEnabled = "This user has no MFA to reset.";
}

public sealed class ResetUserMfaCommandValidator : AbstractValidator<ResetUserMfaCommand>
{
    public ResetUserMfaCommandValidator()
    {
        RuleFor(c => c.Id).ValidUserId();
        RuleFor(c => c.Version).ValidVersion();
    }
}

public sealed partial class ResetUserMfaCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock, ILogger<ResetUserMfaCommandHandler> logger)
    : ICommandHandler<ResetUserMfaCommand, Result<long>>
{
    public async ValueTask<Result<long>> Handle(ResetUserMfaCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        if (caller.UserId == command.Id)
        {
            return new ForbiddenError(ResetUserMfaCommand.NotForYourself);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loaded = await db.LoadForChangeAsync(command.Id, command.Version, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var user = loaded.Value;
        await using var change = await UserChangeScope.InTransactionAsync(db, cancellationToken);
        if (!user.ResetMfa(now))
        {
            return new NotFoundError(ResetUserMfaCommand.NotEnabled);
        }

        await db.RecoveryCodes.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.EndSessionsOfAsync(user.Ref, "MFA reset by an administrator", now, cancellationToken);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.MfaReset, now, "MFA reset by an administrator; recovery codes removed; sessions ended", user.Id, user.Email, caller.UserId));
        var saved = await change.SaveAsync(user, cancellationToken);
        if (saved.IsSuccess)
        {
            LogReset(user.Id, caller.UserId);
        }

        return saved;
    }

    [LoggerMessage(EventId = 1081, Level = LogLevel.Warning, Message = "Administrator {ActorId} reset the MFA of user {UserId}")]
    private partial void LogReset(Guid userId, Guid actorId);
}

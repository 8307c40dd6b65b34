using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// An administrator removes another user's passkey (a lost or stolen device): it signs in nowhere after that, and
/// the user's sessions end, as with an MFA reset (one of them may be the thief's). Needs a recent re-authentication.
/// </summary>
public sealed record RemoveUserPasskeyCommand(Guid UserId, Guid PasskeyId) : ICommand<Result>, IRequiresReauthentication
{
    public const string NotForYourself = "To remove your own passkeys, use Passkeys.";
}

public sealed class RemoveUserPasskeyCommandValidator : AbstractValidator<RemoveUserPasskeyCommand>
{
    public RemoveUserPasskeyCommandValidator() => RuleFor(c => c.UserId).ValidUserId();
}

public sealed partial class RemoveUserPasskeyCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock, ILogger<RemoveUserPasskeyCommandHandler> logger)
    : ICommandHandler<RemoveUserPasskeyCommand, Result>
{
    public async ValueTask<Result> Handle(RemoveUserPasskeyCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        if (caller.UserId == command.UserId)
        {
            return new ForbiddenError(RemoveUserPasskeyCommand.NotForYourself);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await PasskeyRemoval.RemoveAsync(db, command.UserId, command.PasskeyId, now, caller.UserId, cancellationToken);
        if (removed is null)
        {
            return PasskeyErrors.NotFound;
        }

        var user = await db.Users.AsNoTracking().Where(u => u.Id == command.UserId).Select(u => new UserRef(u.Id, u.Name, u.Email)).FirstAsync(cancellationToken);
        await db.EndSessionsOfAsync(user, "passkey removed by an administrator", now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogRemoved(caller.UserId, command.PasskeyId, command.UserId);
        return Result.Success();
    }

    [LoggerMessage(EventId = 1123, Level = LogLevel.Warning, Message = "Administrator {ActorId} removed passkey {PasskeyId} of user {UserId}")]
    private partial void LogRemoved(Guid actorId, Guid passkeyId, Guid userId);
}

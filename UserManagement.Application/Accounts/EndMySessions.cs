using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// The caller ends one of their own live sessions (a browser left signed in elsewhere), or with no id every live
/// session but this browser's: the ones My sessions lists. Returns how many ended. Someone else's session, or
/// one that already stopped working, is "not found".
/// </summary>
public sealed record EndMySessionsCommand(Guid? SessionId) : ICommand<Result<int>>, ISignedInMessage
{
    public const string NotYours = "That session was not found among your live sessions. It may have ended already.";
}

public sealed class EndMySessionsCommandValidator : AbstractValidator<EndMySessionsCommand>
{
    public EndMySessionsCommandValidator() =>
        RuleFor(c => c.SessionId).NotEqual(Guid.Empty).WithMessage("Choose a session.");
}

public sealed partial class EndMySessionsCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock, ILogger<EndMySessionsCommandHandler> logger)
    : ICommandHandler<EndMySessionsCommand, Result<int>>
{
    public async ValueTask<Result<int>> Handle(EndMySessionsCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        var reason = command.SessionId is null ? "ended with all other sessions by the user" : "ended by the user";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ended = await db.Sessions
            .Where(s => s.UserId == caller.UserId)
            .Where(UserSession.LiveAt(now))
            .Where(s => command.SessionId == null ? s.Id != caller.SessionId : s.Id == command.SessionId)
            .EndAsync(reason, now, cancellationToken);
        if (command.SessionId is not null && ended == 0)
        {
            return new NotFoundError(EndMySessionsCommand.NotYours);
        }

        var me = await db.Users.Where(u => u.Id == caller.UserId).Select(u => new UserRef(u.Id, u.Name, u.Email)).FirstAsync(cancellationToken);
        db.RaiseSessionsEnded(me, ended, reason, now);

        db.Raise(SecurityEvent.Record(SecurityEventType.SessionEnded, now, $"{ended} session(s) {reason}", caller.UserId, caller.Email));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogEnded(caller.UserId, ended);
        return ended;
    }

    [LoggerMessage(EventId = 1070, Level = LogLevel.Information, Message = "User {UserId} ended {Count} of their own session(s)")]
    private partial void LogEnded(Guid userId, int count);
}

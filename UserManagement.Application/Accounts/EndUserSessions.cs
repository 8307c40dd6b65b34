using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>An administrator signs a user out everywhere (a lost laptop, a suspected breach). Returns how many sessions ended.</summary>
public sealed record EndUserSessionsCommand(Guid Id) : ICommand<Result<int>>, IRequiresReauthentication;

public sealed class EndUserSessionsCommandValidator : AbstractValidator<EndUserSessionsCommand>
{
    public EndUserSessionsCommandValidator() => RuleFor(c => c.Id).ValidUserId();
}

public sealed partial class EndUserSessionsCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock, ILogger<EndUserSessionsCommandHandler> logger)
    : ICommandHandler<EndUserSessionsCommand, Result<int>>
{
    public async ValueTask<Result<int>> Handle(EndUserSessionsCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == command.Id).Select(u => new UserRef(u.Id, u.Name, u.Email)).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return UserErrors.NotFound(command.Id);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ended = await db.EndSessionsOfAsync(user, "ended by an administrator", now, cancellationToken);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.SessionEnded, now, $"{ended} session(s) ended by an administrator", user.Id, user.Email, caller.UserId));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogEnded(ended, user.Id, caller.UserId);
        return ended;
    }

    [LoggerMessage(EventId = 1060, Level = LogLevel.Information, Message = "Administrator {ActorId} ended {Count} session(s) of user {UserId}")]
    private partial void LogEnded(int count, Guid userId, Guid actorId);
}

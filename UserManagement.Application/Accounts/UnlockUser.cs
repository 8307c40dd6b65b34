using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>Lifts a sign-in lockout before it runs out. Returns the new version.</summary>
public sealed record UnlockUserCommand(Guid Id, long Version) : ICommand<Result<long>>;

public sealed class UnlockUserCommandValidator : AbstractValidator<UnlockUserCommand>
{
    public UnlockUserCommandValidator()
    {
        RuleFor(c => c.Id).ValidUserId();
        RuleFor(c => c.Version).ValidVersion();
    }
}

public sealed partial class UnlockUserCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock, ILogger<UnlockUserCommandHandler> logger)
    : ICommandHandler<UnlockUserCommand, Result<long>>
{
    public async ValueTask<Result<long>> Handle(UnlockUserCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loaded = await db.LoadForChangeAsync(command.Id, command.Version, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var user = loaded.Value;
        if (!user.Unlock(now))
        {
            return user.Version;
        }

        await using var change = UserChangeScope.Direct(db);
        db.Raise(SecurityEvent.Record(SecurityEventType.Unlocked, now, "unlocked by an administrator", user.Id, user.Email, caller.UserId));
        var saved = await change.SaveAsync(user, cancellationToken);
        if (saved.IsSuccess)
        {
            LogUnlocked(user.Id, caller.UserId);
        }

        return saved;
    }

    [LoggerMessage(EventId = 1040, Level = LogLevel.Information, Message = "Administrator {ActorId} unlocked user {UserId}")]
    private partial void LogUnlocked(Guid userId, Guid actorId);
}

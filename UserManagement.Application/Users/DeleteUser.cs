using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>Deletes a user, provided nobody changed it since the caller loaded <see cref="Version"/>.</summary>
public sealed record DeleteUserCommand(Guid Id, long Version) : ICommand<Result>, IRequiresReauthentication;

public sealed class DeleteUserCommandValidator : AbstractValidator<DeleteUserCommand>
{
    public DeleteUserCommandValidator()
    {
        RuleFor(c => c.Id).ValidUserId();
        RuleFor(c => c.Version).ValidVersion();
    }
}

public sealed class DeleteUserCommandHandler(IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<DeleteUserCommand, Result>
{
    public async ValueTask<Result> Handle(DeleteUserCommand command, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loaded = await db.LoadForChangeAsync(command.Id, command.Version, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var user = loaded.Value;
        await using var change = await UserChangeScope.GuardedAsync(db, currentUser, user, null, null, deleting: true, cancellationToken);
        if (change.Refusal is not null)
        {
            return change.Refusal;
        }

        // The user's sessions go with them (cascade), so their cookies stop working on the next request.
        user.Delete(clock.GetUtcNow().UtcDateTime);
        db.Users.Remove(user);
        var saved = await change.SaveAsync(user, cancellationToken);
        return saved.IsSuccess ? Result.Success() : saved.Error;
    }
}

using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>Deletes a user, provided nobody changed it since the caller loaded <see cref="Version"/>.</summary>
public sealed record DeleteUserCommand(Guid Id, long Version) : ICommand<Result>;

public sealed class DeleteUserCommandValidator : AbstractValidator<DeleteUserCommand>
{
    public DeleteUserCommandValidator()
    {
        RuleFor(c => c.Id).ValidUserId();
        RuleFor(c => c.Version).ValidVersion();
    }
}

public sealed class DeleteUserCommandHandler(IAppDbContextFactory dbFactory)
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

        db.Users.Remove(loaded.Value);
        var error = await db.TrySaveUserAsync(command.Id, cancellationToken);
        return error is null ? Result.Success() : Result.Failure(error);
    }
}

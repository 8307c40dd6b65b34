using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>Activates or disables a user; returns the new version. Doing it to an Administrator needs a recent re-authentication.</summary>
public sealed record SetUserStatusCommand(Guid Id, UserStatus Status, long Version) : ICommand<Result<long>>, IRequiresReauthentication
{
    public ValueTask<bool> RequiresReauthenticationAsync(AdministrativePower power, CancellationToken cancellationToken) =>
        power.ChangesAsync(Id, null, Status, cancellationToken);
}

public sealed class SetUserStatusCommandValidator : AbstractValidator<SetUserStatusCommand>
{
    public SetUserStatusCommandValidator()
    {
        RuleFor(c => c.Id).ValidUserId();
        RuleFor(c => c.Status).IsInEnum().WithMessage(UserValidationRules.UnknownStatusMessage);
        RuleFor(c => c.Version).ValidVersion();
    }
}

public sealed class SetUserStatusCommandHandler(IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<SetUserStatusCommand, Result<long>>
{
    public async ValueTask<Result<long>> Handle(SetUserStatusCommand command, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loaded = await db.LoadForChangeAsync(command.Id, command.Version, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var user = loaded.Value;
        await using var change = await UserChangeScope.GuardedAsync(db, currentUser, user, null, command.Status, deleting: false, cancellationToken);
        if (change.Refusal is not null)
        {
            return change.Refusal;
        }

        if (!user.SetStatus(command.Status, clock.GetUtcNow().UtcDateTime))
        {
            return user.Version;
        }

        return await change.SaveAsync(user, cancellationToken);
    }
}

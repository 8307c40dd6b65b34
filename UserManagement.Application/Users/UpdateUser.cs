using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// Changes a user's name, email and role, and their status when <see cref="Status"/> is given, in one save.
/// <see cref="Version"/> is the version the caller loaded; a stale one is refused with the current values.
/// Returns the new version. Promoting, demoting, disabling or activating an Administrator needs a recent
/// re-authentication (ASVS 5.0 7.5.1); renaming one does not.
/// </summary>
public sealed record UpdateUserCommand(
    Guid Id, string Name, string Email, UserRole Role, long Version, UserStatus? Status = null)
    : ICommand<Result<long>>, IRequiresReauthentication
{
    public ValueTask<bool> RequiresReauthenticationAsync(AdministrativePower power, CancellationToken cancellationToken) =>
        power.ChangesAsync(Id, Role, Status, cancellationToken);
}

public sealed class UpdateUserCommandValidator : AbstractValidator<UpdateUserCommand>
{
    public UpdateUserCommandValidator(IAppDbContextFactory dbFactory)
    {
        RuleFor(c => c.Id).ValidUserId();
        RuleFor(c => c.Name).ValidUserName();
        RuleFor(c => c.Email).ValidUserEmail().UniqueUserEmail(dbFactory, c => c.Id);
        RuleFor(c => c.Role).ValidRole();
        RuleFor(c => c.Status).IsInEnum().WithMessage(UserValidationRules.UnknownStatusMessage);
        RuleFor(c => c.Version).ValidVersion();
    }
}

public sealed class UpdateUserCommandHandler(IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<UpdateUserCommand, Result<long>>
{
    public async ValueTask<Result<long>> Handle(UpdateUserCommand command, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loaded = await db.LoadForChangeAsync(command.Id, command.Version, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var user = loaded.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var change = await UserChangeScope.GuardedAsync(
            db, currentUser, user, command.Role, command.Status, deleting: false, cancellationToken);
        if (change.Refusal is not null)
        {
            return change.Refusal;
        }

        var profileChanged = user.Update(command.Name, command.Email, command.Role, now);
        var statusChanged = command.Status is { } status && user.SetStatus(status, now);
        if (!profileChanged && !statusChanged)
        {
            return user.Version;
        }

        return await change.SaveAsync(user, cancellationToken);
    }
}

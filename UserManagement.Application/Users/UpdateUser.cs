using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// Changes a user's name, email and role. <see cref="Version"/> is the version the caller loaded; a stale
/// one is refused with the current values. Returns the new version.
/// </summary>
public sealed record UpdateUserCommand(Guid Id, string Name, string Email, UserRole Role, long Version)
    : ICommand<Result<long>>;

public sealed class UpdateUserCommandValidator : AbstractValidator<UpdateUserCommand>
{
    public UpdateUserCommandValidator(IAppDbContextFactory dbFactory)
    {
        RuleFor(c => c.Id).ValidUserId();
        RuleFor(c => c.Name).ValidUserName();
        RuleFor(c => c.Email).ValidUserEmail().UniqueUserEmail(dbFactory, c => c.Id);
        RuleFor(c => c.Role).ValidRole();
        RuleFor(c => c.Version).ValidVersion();
    }
}

public sealed class UpdateUserCommandHandler(IAppDbContextFactory dbFactory, TimeProvider clock)
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
        if (!user.Update(command.Name, command.Email, command.Role, clock.GetUtcNow().UtcDateTime))
        {
            return user.Version;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Result<long>.Failure(await db.LostRaceAsync(command.Id, cancellationToken));
        }
        catch (UniqueConstraintException e) when (e.IndexName == UserRules.UniqueEmailIndex)
        {
            return UserErrors.DuplicateEmail();
        }

        return user.Version;
    }
}

using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>Creates an active user; returns the new id. Creating an Administrator needs a recent re-authentication.</summary>
public sealed record CreateUserCommand(string Name, string Email, UserRole Role) : ICommand<Result<Guid>>, IRequiresReauthentication
{
    public ValueTask<bool> RequiresReauthenticationAsync(AdministrativePower power, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AdministrativePower.Grants(Role));
}

public sealed class CreateUserCommandValidator : AbstractValidator<CreateUserCommand>
{
    public CreateUserCommandValidator(IAppDbContextFactory dbFactory)
    {
        RuleFor(c => c.Name).ValidUserName();
        RuleFor(c => c.Email).ValidUserEmail().UniqueUserEmail(dbFactory, _ => null);
        RuleFor(c => c.Role).ValidRole();
    }
}

public sealed class CreateUserCommandHandler(IAppDbContextFactory dbFactory, TimeProvider clock)
    : ICommandHandler<CreateUserCommand, Result<Guid>>
{
    public async ValueTask<Result<Guid>> Handle(CreateUserCommand command, CancellationToken cancellationToken)
    {
        var user = User.Create(command.Name, command.Email, command.Role, clock.GetUtcNow().UtcDateTime);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Users.Add(user);
        var error = await db.TrySaveUserAsync(user.Id, cancellationToken);
        return error is null ? user.Id : Result<Guid>.Failure(error);
    }
}

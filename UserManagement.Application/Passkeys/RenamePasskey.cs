using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

/// <summary>Renames one of the caller's own passkeys. A name is only a label: no re-authentication.</summary>
public sealed record RenamePasskeyCommand(Guid Id, string Name) : ICommand<Result>, ISignedInMessage;

public sealed class RenamePasskeyCommandValidator : AbstractValidator<RenamePasskeyCommand>
{
    public RenamePasskeyCommandValidator() =>
        RuleFor(c => c.Name).Must(Passkey.IsValidName)
            .WithMessage($"Name the passkey (at most {Passkey.NameMaxLength} characters), for example the device it is on.");
}

public sealed class RenamePasskeyCommandHandler(IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<RenamePasskeyCommand, Result>
{
    public async ValueTask<Result> Handle(RenamePasskeyCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var passkey = await db.Passkeys.FirstOrDefaultAsync(p => p.Id == command.Id && p.UserId == caller.UserId, cancellationToken);
        if (passkey is null)
        {
            return PasskeyErrors.NotFound;
        }

        var old = passkey.Name;
        passkey.Rename(command.Name);
        if (passkey.Name == old)
        {
            return Result.Success();
        }

        db.Raise(SecurityEvent.Record(
            SecurityEventType.PasskeyRenamed, clock.GetUtcNow().UtcDateTime, $"passkey \"{old}\" renamed \"{passkey.Name}\"", caller.UserId, caller.Email));
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }
}

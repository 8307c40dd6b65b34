using FluentValidation;
using Mediator;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>
/// An administrator gives a user a temporary password, which the user must change at the next sign-in. The
/// user's sessions end. Returns the new version.
/// </summary>
public sealed record SetTemporaryPasswordCommand(Guid Id, string Password, long Version) : ICommand<Result<long>>, IRequiresReauthentication
{
    public const string NotForYourself = "To change your own password, use Change password.";

    public override string ToString() => $"SetTemporaryPasswordCommand {{ Id = {Id}, Version = {Version} }}";
}

public sealed class SetTemporaryPasswordCommandValidator : AbstractValidator<SetTemporaryPasswordCommand>
{
    public SetTemporaryPasswordCommandValidator()
    {
        RuleFor(c => c.Id).ValidUserId();
        RuleFor(c => c.Password).ValidPassword();
        RuleFor(c => c.Version).ValidVersion();
    }
}

public sealed partial class SetTemporaryPasswordCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, IPasswordHasher hasher, TimeProvider clock,
    ILogger<SetTemporaryPasswordCommandHandler> logger)
    : ICommandHandler<SetTemporaryPasswordCommand, Result<long>>
{
    public async ValueTask<Result<long>> Handle(SetTemporaryPasswordCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        if (caller.UserId == command.Id)
        {
            return new ForbiddenError(SetTemporaryPasswordCommand.NotForYourself);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var loaded = await db.LoadForChangeAsync(command.Id, command.Version, cancellationToken);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var user = loaded.Value;
        if (PasswordRules.PersonalInfoIn(command.Password, user.Name, user.Email) is { } personal)
        {
            return ValidationError.ForField(nameof(command.Password), personal);
        }

        await using var change = await UserChangeScope.InTransactionAsync(db, cancellationToken);
        user.SetPassword(hasher.Hash(command.Password), temporary: true, now);
        await db.EndSessionsOfAsync(user.Ref, "temporary password set", now, cancellationToken);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.PasswordSet, now, "temporary password set by an administrator; sessions ended", user.Id, user.Email, caller.UserId));
        var saved = await change.SaveAsync(user, cancellationToken);
        if (saved.IsSuccess)
        {
            LogPasswordSet(user.Id, caller.UserId);
        }

        return saved;
    }

    [LoggerMessage(EventId = 1030, Level = LogLevel.Information, Message = "Administrator {ActorId} set a temporary password for user {UserId}; their sessions ended")]
    private partial void LogPasswordSet(Guid userId, Guid actorId);
}

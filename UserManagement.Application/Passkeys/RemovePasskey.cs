using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

/// <summary>Removes one of the caller's own passkeys: it signs in nowhere after that. Needs a recent re-authentication.</summary>
public sealed record RemovePasskeyCommand(Guid Id) : ICommand<Result>, ISignedInMessage, IRequiresReauthentication
{
    public const string SignInWithOneFirst = "Sign in with one of your passkeys to remove one.";
}

public sealed class RemovePasskeyCommandValidator : AbstractValidator<RemovePasskeyCommand>;

public sealed partial class RemovePasskeyCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock, ILogger<RemovePasskeyCommandHandler> logger)
    : ICommandHandler<RemovePasskeyCommand, Result>
{
    public async ValueTask<Result> Handle(RemovePasskeyCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;

        // A session held until it proves a passkey must not clear the way to enrolling one of its own.
        if (caller.MustUsePasskey)
        {
            return new ForbiddenError(RemovePasskeyCommand.SignInWithOneFirst);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var removed = await PasskeyRemoval.RemoveAsync(db, caller.UserId, command.Id, clock.GetUtcNow().UtcDateTime, actorId: null, cancellationToken);
        if (removed is null)
        {
            return PasskeyErrors.NotFound;
        }

        await db.SaveChangesAsync(cancellationToken);
        LogRemoved(caller.UserId, command.Id);
        return Result.Success();
    }

    [LoggerMessage(EventId = 1122, Level = LogLevel.Information, Message = "User {UserId} removed their passkey {PasskeyId}")]
    private partial void LogRemoved(Guid userId, Guid passkeyId);
}

internal static class PasskeyRemoval
{
    /// <summary>
    /// Deletes passkey <paramref name="passkeyId"/> of user <paramref name="userId"/> and records who did it, at the
    /// caller's next save; the removed passkey, or null when that user has no such passkey.
    /// </summary>
    public static async Task<Passkey?> RemoveAsync(
        IAppDbContext db, Guid userId, Guid passkeyId, DateTime utcNow, Guid? actorId, CancellationToken cancellationToken)
    {
        var passkey = await db.Passkeys.FirstOrDefaultAsync(p => p.Id == passkeyId && p.UserId == userId, cancellationToken);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        if (passkey is null || email is null)
        {
            return null;
        }

        db.Passkeys.Remove(passkey);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.PasskeyRemoved, utcNow,
            actorId is null ? $"passkey \"{passkey.Name}\" removed" : $"passkey \"{passkey.Name}\" removed by an administrator; sessions ended",
            userId, email, actorId));
        return passkey;
    }
}

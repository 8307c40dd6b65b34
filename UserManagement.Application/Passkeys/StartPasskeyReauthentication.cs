using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// The first step of confirming it's you with a passkey (before a sensitive action): options that list the caller's
/// own passkeys, with a challenge bound to the caller's session.
/// </summary>
public sealed record StartPasskeyReauthenticationCommand : ICommand<Result<PasskeyCeremonyStart>>, ISignedInMessage
{
    public const string NoPasskey = "You have no passkey. Enter your password or an authenticator code.";
}

public sealed class StartPasskeyReauthenticationCommandValidator : AbstractValidator<StartPasskeyReauthenticationCommand>;

public sealed class StartPasskeyReauthenticationCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, PasskeySettings settings, PasskeyCeremony ceremony, TimeProvider clock)
    : ICommandHandler<StartPasskeyReauthenticationCommand, Result<PasskeyCeremonyStart>>
{
    public async ValueTask<Result<PasskeyCeremonyStart>> Handle(StartPasskeyReauthenticationCommand command, CancellationToken cancellationToken)
    {
        if (!settings.IsConfigured)
        {
            return PasskeyErrors.NotConfigured;
        }

        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = await db.Passkeys.AsNoTracking().Where(p => p.UserId == caller.UserId).Select(p => p.CredentialId).ToListAsync(cancellationToken);
        if (mine.Count == 0)
        {
            return new NotFoundError(StartPasskeyReauthenticationCommand.NoPasskey);
        }

        return await PasskeyChallenges.IssueAsync(
            db,
            PasskeyChallenge.Issue(PasskeyCeremonyKind.Reauthentication, ceremony.AssertionOptions(mine), now, caller.SessionId, caller.UserId),
            now, cancellationToken);
    }
}

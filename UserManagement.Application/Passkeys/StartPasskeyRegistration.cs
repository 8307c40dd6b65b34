using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// The first step of adding a passkey: the options for the browser's navigator.credentials.create(), with a challenge
/// bound to the caller's session. Adding a passkey needs a recent password, code or passkey (ASVS 5.0 7.5.1).
/// </summary>
public sealed record StartPasskeyRegistrationCommand : ICommand<Result<PasskeyCeremonyStart>>, ISignedInMessage, IRequiresReauthentication
{
    public const string TooMany = "You have as many passkeys as anyone may have. Remove one first.";
    public const string SignInWithOneFirst = "Sign in with one of your passkeys to add another.";
}

public sealed class StartPasskeyRegistrationCommandValidator : AbstractValidator<StartPasskeyRegistrationCommand>;

public sealed class StartPasskeyRegistrationCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, PasskeySettings settings, PasskeyCeremony ceremony, TimeProvider clock)
    : ICommandHandler<StartPasskeyRegistrationCommand, Result<PasskeyCeremonyStart>>
{
    public async ValueTask<Result<PasskeyCeremonyStart>> Handle(StartPasskeyRegistrationCommand command, CancellationToken cancellationToken)
    {
        if (!settings.IsConfigured)
        {
            return PasskeyErrors.NotConfigured;
        }

        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        var existing = await db.Passkeys.AsNoTracking().Where(p => p.UserId == user.Id).Select(p => p.CredentialId).ToListAsync(cancellationToken);
        if (existing.Count >= Passkey.MaxPerUser)
        {
            return new ForbiddenError(StartPasskeyRegistrationCommand.TooMany);
        }

        // Held until it uses a passkey, a session may enrol the first one, but not add to the ones it cannot show.
        if (caller.MustUsePasskey && existing.Count > 0)
        {
            return new ForbiddenError(StartPasskeyRegistrationCommand.SignInWithOneFirst);
        }

        var options = ceremony.RegistrationOptions(user, existing);
        return await PasskeyChallenges.IssueAsync(
            db, PasskeyChallenge.Issue(PasskeyCeremonyKind.Registration, options, now, caller.SessionId, caller.UserId), now, cancellationToken);
    }
}

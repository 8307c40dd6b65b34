using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// The second step of confirming it's you with a passkey: the browser's answer to
/// <see cref="StartPasskeyReauthenticationCommand"/>'s challenge, from the same session, once. Like a password or a
/// code, it opens the five-minute window for sensitive actions; and the session has now proved a passkey, which
/// meets the MFA and passkey requirements for the rest of it (ADR 0027). A refused passkey is recorded but is not a
/// guess: it counts toward no lockout.
/// </summary>
public sealed record ReauthenticateWithPasskeyCommand(Guid ChallengeId, string Response) : ICommand<Result>, ISignedInMessage
{
    public override string ToString() => $"ReauthenticateWithPasskeyCommand {{ ChallengeId = {ChallengeId} }}";
}

public sealed class ReauthenticateWithPasskeyCommandValidator : AbstractValidator<ReauthenticateWithPasskeyCommand>
{
    public ReauthenticateWithPasskeyCommandValidator() =>
        RuleFor(c => c.Response).NotEmpty().MaximumLength(RegisterPasskeyCommand.MaxResponseLength).WithMessage(PasskeyRefusedError.Reauthentication);
}

public sealed partial class ReauthenticateWithPasskeyCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, PasskeySettings settings, PasskeyCeremony ceremony, TimeProvider clock,
    ILogger<ReauthenticateWithPasskeyCommandHandler> logger)
    : ICommandHandler<ReauthenticateWithPasskeyCommand, Result>
{
    public async ValueTask<Result> Handle(ReauthenticateWithPasskeyCommand command, CancellationToken cancellationToken)
    {
        if (!settings.IsConfigured)
        {
            return PasskeyErrors.NotConfigured;
        }

        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var challenge = await PasskeyChallenges.TakeAsync(db, command.ChallengeId, PasskeyCeremonyKind.Reauthentication, now, cancellationToken);
        var (response, passkey, refused) = challenge is null || challenge.SessionId != caller.SessionId
            ? (null, null, PasskeyRefusal.ChallengeUnknown)
            : await PasskeyAssertion.FindAsync(db, command.Response, cancellationToken);
        refused ??= passkey!.UserId != caller.UserId ? PasskeyRefusal.NotThisUser
            : await PasskeyAssertion.VerifyAsync(db, ceremony, challenge!, response!, passkey, now, cancellationToken);
        if (refused is { } refusal)
        {
            PasskeyAssertion.RecordRefusal(
                db, SecurityEventType.ReauthenticationFailed, "passkey", refusal, passkey, caller.UserId, caller.Email, null, now, logger);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogRefused(caller.UserId, refusal);
            return new PasskeyRefusedError(PasskeyRefusedError.Reauthentication);
        }

        await db.Sessions.Where(s => s.Id == caller.SessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReauthenticatedAt, now).SetProperty(x => x.PasskeyVerified, true), cancellationToken);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.Reauthenticated, now, $"confirmed with passkey \"{passkey!.Name}\"", caller.UserId, caller.Email));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogReauthenticated(caller.UserId, passkey.Id);
        return Result.Success();
    }

    [LoggerMessage(EventId = 1127, Level = LogLevel.Information, Message = "User {UserId} re-authenticated with passkey {PasskeyId}")]
    private partial void LogReauthenticated(Guid userId, Guid passkeyId);

    [LoggerMessage(EventId = 1128, Level = LogLevel.Warning, Message = "Passkey re-authentication refused for user {UserId}: {Refusal}")]
    private partial void LogRefused(Guid userId, PasskeyRefusal refusal);
}

using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// The second step of adding a passkey: the browser's answer to <see cref="StartPasskeyRegistrationCommand"/>'s
/// options, from the same session, within the ceremony's two minutes, once. Stores the passkey under
/// <see cref="Name"/> and records it in the audit trail.
/// </summary>
public sealed record RegisterPasskeyCommand(Guid ChallengeId, string Name, string Response)
    : ICommand<Result<PasskeyItem>>, ISignedInMessage, IRequiresReauthentication
{
    /// <summary>Far more than any authenticator's answer (an attestation certificate chain included).</summary>
    public const int MaxResponseLength = 64 * 1024;

    public override string ToString() => $"RegisterPasskeyCommand {{ ChallengeId = {ChallengeId} }}";
}

public sealed class RegisterPasskeyCommandValidator : AbstractValidator<RegisterPasskeyCommand>
{
    public RegisterPasskeyCommandValidator()
    {
        RuleFor(c => c.Name).Must(Passkey.IsValidName)
            .WithMessage($"Name the passkey (at most {Passkey.NameMaxLength} characters), for example the device it is on.");
        RuleFor(c => c.Response).NotEmpty().MaximumLength(RegisterPasskeyCommand.MaxResponseLength);
    }
}

public sealed partial class RegisterPasskeyCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, PasskeySettings settings, PasskeyCeremony ceremony, TimeProvider clock,
    ILogger<RegisterPasskeyCommandHandler> logger)
    : ICommandHandler<RegisterPasskeyCommand, Result<PasskeyItem>>
{
    public async ValueTask<Result<PasskeyItem>> Handle(RegisterPasskeyCommand command, CancellationToken cancellationToken)
    {
        if (!settings.IsConfigured)
        {
            return PasskeyErrors.NotConfigured;
        }

        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var challenge = await PasskeyChallenges.TakeAsync(db, command.ChallengeId, PasskeyCeremonyKind.Registration, now, cancellationToken);
        if (challenge is null || challenge.SessionId != caller.SessionId || challenge.UserId != caller.UserId)
        {
            return await RefuseAsync(db, transaction, caller, PasskeyRefusal.ChallengeUnknown, now, cancellationToken);
        }

        var verified = await ceremony.VerifyRegistrationAsync(
            challenge.Options, command.Response,
            async (credentialId, ct) => !await db.Passkeys.AnyAsync(p => p.CredentialId == credentialId, ct),
            cancellationToken);
        if (verified.Refused is { } refusal)
        {
            return await RefuseAsync(db, transaction, caller, refusal, now, cancellationToken);
        }

        var credential = verified.Value!;
        var passkey = Passkey.Register(
            caller.UserId, command.Name, credential.Id, credential.PublicKey, credential.SignCount, credential.IsBackupEligible,
            credential.IsBackedUp, credential.AaGuid, credential.AttestationFormat, now);
        db.Passkeys.Add(passkey);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.PasskeyAdded, now, $"passkey \"{passkey.Name}\" added{(passkey.BackupEligible ? " (syncable)" : string.Empty)}",
            caller.UserId, caller.Email));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (UniqueConstraintException e) when (e.IndexName == Passkey.UniqueCredentialIdIndex)
        {
            // Registered by a concurrent request between the check and the save: the index decides.
            return PasskeyRefusedError.Registration(PasskeyRefusal.AlreadyRegistered);
        }

        await transaction.CommitAsync(cancellationToken);
        LogAdded(caller.UserId, passkey.Id);
        return new PasskeyItem(passkey.Id, passkey.Name, passkey.CreatedAt, passkey.LastUsedAt, passkey.BackedUp);
    }

    private async Task<Result<PasskeyItem>> RefuseAsync(
        IAppDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, Caller caller, PasskeyRefusal refusal,
        DateTime now, CancellationToken cancellationToken)
    {
        db.Raise(SecurityEvent.Record(
            SecurityEventType.PasskeyRefused, now, $"registration: {PasskeyRefusals.Describe(refusal)}", caller.UserId, caller.Email));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogRefused(caller.UserId, refusal);
        return PasskeyRefusedError.Registration(refusal);
    }

    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "User {UserId} added passkey {PasskeyId}")]
    private partial void LogAdded(Guid userId, Guid passkeyId);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Warning, Message = "Passkey registration refused for user {UserId}: {Refusal}")]
    private partial void LogRefused(Guid userId, PasskeyRefusal refusal);
}

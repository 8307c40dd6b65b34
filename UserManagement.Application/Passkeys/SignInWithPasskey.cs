using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// The second step of signing in with a passkey: the browser's answer to <see cref="StartPasskeySignInCommand"/>'s
/// challenge, named by the browser's challenge cookie, once, within two minutes. A passkey with user verification is
/// something the person has and something they are or know: the session it starts needs no password and no code, meets
/// the MFA requirement, and lifts a lockout that wrong passwords caused (as the password and a code do, ADR 0009).
/// </summary>
public sealed record SignInWithPasskeyCommand(Guid ChallengeId, string Response, string? IpAddress) : ICommand<Result<SignedIn>>, IPublicMessage
{
    public override string ToString() => $"SignInWithPasskeyCommand {{ IpAddress = {IpAddress} }}";
}

public sealed class SignInWithPasskeyCommandValidator : AbstractValidator<SignInWithPasskeyCommand>
{
    public SignInWithPasskeyCommandValidator() =>
        RuleFor(c => c.Response).NotEmpty().MaximumLength(RegisterPasskeyCommand.MaxResponseLength).WithMessage(PasskeyRefusedError.SignIn);
}

public sealed partial class SignInWithPasskeyCommandHandler(
    IAppDbContextFactory dbFactory, PasskeySettings settings, PasskeyCeremony ceremony, TimeProvider clock,
    ILogger<SignInWithPasskeyCommandHandler> logger)
    : ICommandHandler<SignInWithPasskeyCommand, Result<SignedIn>>
{
    public async ValueTask<Result<SignedIn>> Handle(SignInWithPasskeyCommand command, CancellationToken cancellationToken)
    {
        if (!settings.IsConfigured)
        {
            return PasskeyErrors.NotConfigured;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var challenge = await PasskeyChallenges.TakeAsync(db, command.ChallengeId, PasskeyCeremonyKind.SignIn, now, cancellationToken);
        var (response, passkey, refused) = challenge is null
            ? (null, null, PasskeyRefusal.ChallengeUnknown)
            : await PasskeyAssertion.FindAsync(db, command.Response, cancellationToken);
        var user = passkey is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == passkey.UserId, cancellationToken);
        refused ??= user is not { Status: UserStatus.Active } ? PasskeyRefusal.AccountUnavailable
            : challenge!.EmailKey is { } emailKey && emailKey != user.NormalizedEmail ? PasskeyRefusal.NotThisUser
            : await PasskeyAssertion.VerifyAsync(db, ceremony, challenge, response!, passkey!, now, cancellationToken);
        if (refused is { } refusal)
        {
            PasskeyAssertion.RecordRefusal(
                db, SecurityEventType.SignInFailed, "passkey", refusal, passkey, user?.Id, user?.Email, command.IpAddress, now, logger);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogRefused(user?.Id, refusal, command.IpAddress);
            return new PasskeyRefusedError(PasskeyRefusedError.SignIn);
        }

        await FailedAttempts.ForgetAfterSignInAsync(db, user!.Id, now, forgetWrongCodes: false, cancellationToken);
        var session = UserSession.Start(user!.Id, user.SecurityStamp, now, passkeyVerified: true);
        db.Sessions.Add(session);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.SignInSucceeded, now, $"signed in with passkey \"{passkey!.Name}\"", user.Id, user.Email, ipAddress: command.IpAddress));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        LogSignedIn(user.Id, passkey.Id, command.IpAddress);
        return new SignedIn(user.Id, session.Id, user.Email, user.Role, user.MustChangePassword);
    }

    [LoggerMessage(EventId = 1124, Level = LogLevel.Information, Message = "Sign-in succeeded for user {UserId} with passkey {PasskeyId} from {IpAddress}")]
    private partial void LogSignedIn(Guid userId, Guid passkeyId, string? ipAddress);

    [LoggerMessage(EventId = 1125, Level = LogLevel.Warning, Message = "Passkey sign-in refused for user {UserId}: {Refusal}, from {IpAddress}")]
    private partial void LogRefused(Guid? userId, PasskeyRefusal refusal, string? ipAddress);
}

using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

/// <summary>
/// Turns on MFA for the caller (or replaces their authenticator) once a code proves the app holds
/// <see cref="Secret"/>. Returns ten new recovery codes, shown once; earlier ones stop working. Changing one's
/// MFA needs a recent password or code (ASVS 5.0 7.5.1).
/// </summary>
public sealed record EnableMfaCommand(string Secret, string Code)
    : ICommand<Result<IReadOnlyList<string>>>, ISignedInMessage, IRequiresReauthentication
{
    public const string WrongCode = "That code does not match. Check the app shows UserManagement, then enter its current code.";

    public override string ToString() => nameof(EnableMfaCommand);
}

public sealed class EnableMfaCommandValidator : AbstractValidator<EnableMfaCommand>
{
    public EnableMfaCommandValidator()
    {
        RuleFor(c => c.Secret).NotEmpty().MaximumLength(64);
        RuleFor(c => c.Code).Must(SecondFactor.LooksLikeTotp).WithMessage("Enter the 6-digit code your authenticator app shows.");
    }
}

public sealed partial class EnableMfaCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, ISecretProtector protector, TimeProvider clock,
    ILogger<EnableMfaCommandHandler> logger)
    : ICommandHandler<EnableMfaCommand, Result<IReadOnlyList<string>>>
{
    public async ValueTask<Result<IReadOnlyList<string>>> Handle(EnableMfaCommand command, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        if (SecondFactor.MatchTotp(command.Secret, command.Code, now) is not { } step)
        {
            return ValidationError.ForField(nameof(command.Code), EnableMfaCommand.WrongCode);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await db.Users.FirstAsync(u => u.Id == caller.UserId, cancellationToken);
        var replaced = user.HasMfa;
        user.EnableMfa(protector.Protect(command.Secret), step, now);
        await db.RecoveryCodes.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        var (codes, stored) = MfaRecoveryCode.Generate(user.Id, now);
        db.RecoveryCodes.AddRange(stored);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.MfaEnabled, now, replaced ? "authenticator replaced; new recovery codes" : "authenticator set up; recovery codes issued",
            user.Id, user.Email));
        var error = await Users.UserLoading.TrySaveUserAsync(db, user.Id, cancellationToken);
        if (error is not null)
        {
            return Result<IReadOnlyList<string>>.Failure(error);
        }

        await transaction.CommitAsync(cancellationToken);
        LogEnabled(user.Id, replaced);
        return codes.ToList();
    }

    [LoggerMessage(EventId = 1080, Level = LogLevel.Information, Message = "User {UserId} set up MFA (replacing an earlier authenticator: {Replaced})")]
    private partial void LogEnabled(Guid userId, bool replaced);
}

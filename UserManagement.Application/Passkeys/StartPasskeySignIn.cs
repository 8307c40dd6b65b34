using FluentValidation;
using Mediator;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// The first step of signing in with a passkey: options for navigator.credentials.get() that list no credential, so
/// the browser offers the discoverable passkeys it holds for this site. With an <see cref="Email"/> typed first, the
/// answer must come from a passkey of that account; the options still list none, so they tell nobody whether the
/// account exists or has passkeys (ADR 0027). Anyone may send it; the web endpoint binds the challenge to the browser.
/// </summary>
public sealed record StartPasskeySignInCommand(string? Email) : ICommand<Result<PasskeyCeremonyStart>>, IPublicMessage
{
    public override string ToString() => nameof(StartPasskeySignInCommand);
}

public sealed class StartPasskeySignInCommandValidator : AbstractValidator<StartPasskeySignInCommand>
{
    public StartPasskeySignInCommandValidator() =>
        RuleFor(c => c.Email).MaximumLength(UserRules.EmailMaxLength).WithMessage("Enter your email.");
}

public sealed class StartPasskeySignInCommandHandler(
    IAppDbContextFactory dbFactory, PasskeySettings settings, PasskeyCeremony ceremony, TimeProvider clock)
    : ICommandHandler<StartPasskeySignInCommand, Result<PasskeyCeremonyStart>>
{
    public async ValueTask<Result<PasskeyCeremonyStart>> Handle(StartPasskeySignInCommand command, CancellationToken cancellationToken)
    {
        if (!settings.IsConfigured)
        {
            return PasskeyErrors.NotConfigured;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var emailKey = string.IsNullOrWhiteSpace(command.Email) ? null : UserRules.EmailKey(command.Email);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await PasskeyChallenges.IssueAsync(
            db, PasskeyChallenge.Issue(PasskeyCeremonyKind.SignIn, ceremony.AssertionOptions([]), now, emailKey: emailKey), now, cancellationToken);
    }
}

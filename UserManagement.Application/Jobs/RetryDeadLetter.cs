using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Jobs;

/// <summary>Puts a dead letter back on its queue for the worker to try again (a job carries on where it stopped).</summary>
public sealed record RetryDeadLetterCommand(Guid DeadLetterId) : ICommand<Result>;

public sealed class RetryDeadLetterCommandValidator : AbstractValidator<RetryDeadLetterCommand>
{
    public RetryDeadLetterCommandValidator() => RuleFor(c => c.DeadLetterId).NotEmpty().WithMessage("The dead letter id is missing.");
}

public sealed class RetryDeadLetterCommandHandler(IDeadLetterStore deadLetters) : ICommandHandler<RetryDeadLetterCommand, Result>
{
    public async ValueTask<Result> Handle(RetryDeadLetterCommand command, CancellationToken cancellationToken) =>
        await deadLetters.RetryAsync(command.DeadLetterId, cancellationToken)
            ? Result.Success()
            : new NotFoundError(DeadLetterErrors.Gone);
}

internal static class DeadLetterErrors
{
    public const string Gone = "This dead letter is gone: another administrator retried or discarded it.";
}

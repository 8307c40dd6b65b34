using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Jobs;

/// <summary>Deletes a dead letter for good; its job stays as it is (failed), with what it did.</summary>
public sealed record DiscardDeadLetterCommand(Guid DeadLetterId) : ICommand<Result>;

public sealed class DiscardDeadLetterCommandValidator : AbstractValidator<DiscardDeadLetterCommand>
{
    public DiscardDeadLetterCommandValidator() => RuleFor(c => c.DeadLetterId).NotEmpty().WithMessage("The dead letter id is missing.");
}

public sealed class DiscardDeadLetterCommandHandler(IDeadLetterStore deadLetters, IAppDbContextFactory dbFactory, TimeProvider clock)
    : ICommandHandler<DiscardDeadLetterCommand, Result>
{
    public async ValueTask<Result> Handle(DiscardDeadLetterCommand command, CancellationToken cancellationToken) =>
        await DeadLetterAudit.RecordAsync(
            await deadLetters.DiscardAsync(command.DeadLetterId, cancellationToken),
            discarded => new DeadLetterDiscarded(discarded.Id, discarded.MessageType, discarded.JobId, clock.GetUtcNow().UtcDateTime),
            dbFactory);
}

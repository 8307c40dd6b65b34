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

public sealed class RetryDeadLetterCommandHandler(IDeadLetterStore deadLetters, IAppDbContextFactory dbFactory, TimeProvider clock)
    : ICommandHandler<RetryDeadLetterCommand, Result>
{
    public async ValueTask<Result> Handle(RetryDeadLetterCommand command, CancellationToken cancellationToken) =>
        await DeadLetterAudit.RecordAsync(
            await deadLetters.RetryAsync(command.DeadLetterId, cancellationToken),
            retried => new DeadLetterRetried(retried.Id, retried.MessageType, retried.JobId, clock.GetUtcNow().UtcDateTime),
            dbFactory);
}

/// <summary>What the trail records of an administrator's retry or discard of a dead letter.</summary>
internal static class DeadLetterAudit
{
    public const string Gone = "This dead letter is gone: another administrator retried or discarded it.";

    /// <summary>
    /// Records what was done to <paramref name="deadLetter"/> (null: it was gone, and nothing was done) as the caller,
    /// under the job's correlation id when the message belongs to a job, so the job's trail shows it. After the bus
    /// did it: its store is not part of our transaction, and an entry must never claim what did not happen. Not
    /// cancellable: once done, it is recorded.
    /// </summary>
    public static async Task<Result> RecordAsync(DeadLetter? deadLetter, Func<DeadLetter, IDomainEvent> done, IAppDbContextFactory dbFactory)
    {
        if (deadLetter is null)
        {
            return new NotFoundError(Gone);
        }

        var caller = OperationContext.Current;
        using var operation = OperationContext.Begin(
            deadLetter.JobId is { } jobId ? caller with { CorrelationId = JobRunner.CorrelationId(jobId) } : caller);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        db.Raise(done(deadLetter));
        await db.SaveChangesAsync(CancellationToken.None);
        return Result.Success();
    }
}

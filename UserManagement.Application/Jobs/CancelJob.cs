using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;

namespace UserManagement.Application.Jobs;

/// <summary>
/// Asks a job to stop. The worker stops after the batch it is on; what it did stays. A job that is not running
/// (it failed into the dead letters) is cancelled at once. Refused for a job that has already finished. The cancel
/// is attributed to whoever asked, not to the job's requester.
/// </summary>
public sealed record CancelJobCommand(Guid JobId) : ICommand<Result>;

public sealed class CancelJobCommandValidator : AbstractValidator<CancelJobCommand>
{
    public CancelJobCommandValidator() => RuleFor(c => c.JobId).NotEmpty().WithMessage("The job id is missing.");
}

public sealed class CancelJobCommandHandler(IAppDbContextFactory dbFactory, TimeProvider clock) : ICommandHandler<CancelJobCommand, Result>
{
    public const string AlreadyFinished = "This job has already finished; there is nothing to cancel.";

    public async ValueTask<Result> Handle(CancelJobCommand command, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == command.JobId, cancellationToken);
        if (job is null)
        {
            return new NotFoundError($"Job {command.JobId} was not found.");
        }

        // Whoever asks is whom the cancel is attributed to, in the trail and on the job, under the job's correlation id.
        var caller = OperationContext.Current;
        if (!job.RequestCancellation(caller.ActorId, caller.ActorName))
        {
            return ValidationError.ForField(nameof(command.JobId), AlreadyFinished);
        }

        if (job.Status == JobStatus.Failed)
        {
            var summary = job.Kind == JobKind.UserImport
                ? ImportUsersJobHandler.CancelledSummary(job)
                : ApplyBulkUserActionJobHandler.CancelledSummary(job);
            JobRunner.Cancel(db, job, summary, clock.GetUtcNow().UtcDateTime);
        }

        using var operation = OperationContext.Begin(caller with { CorrelationId = JobRunner.CorrelationId(job.Id) });
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }
}

using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;

namespace UserManagement.Application.Jobs;

/// <summary>One job: its progress, every row it left out with the reason, and the first users it created.</summary>
public sealed record GetJobQuery(Guid JobId) : IQuery<Result<JobDetails>>
{
    public const int MaxRowsShown = 500;
}

public sealed class GetJobQueryValidator : AbstractValidator<GetJobQuery>
{
    public GetJobQueryValidator() => RuleFor(q => q.JobId).NotEmpty().WithMessage("The job id is missing.");
}

public sealed class GetJobQueryHandler(IAppDbContextFactory dbFactory) : IQueryHandler<GetJobQuery, Result<JobDetails>>
{
    public async ValueTask<Result<JobDetails>> Handle(GetJobQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.AsNoTracking().Where(j => j.Id == query.JobId)
            .Select(ListJobsQueryHandler.ListItem).FirstOrDefaultAsync(cancellationToken);
        if (job is null)
        {
            return new NotFoundError($"Job {query.JobId} was not found.");
        }

        if (BulkUserActions.FromJobKind(job.Kind) is { } action)
        {
            return await BulkDetailsAsync(db, job, action, cancellationToken);
        }

        var rows = db.ImportRows.AsNoTracking().Where(r => r.JobId == query.JobId).OrderBy(r => r.RowNumber);
        var notCreated = await rows
            .Where(r => r.Outcome == ImportRowOutcome.Skipped || r.Outcome == ImportRowOutcome.Failed)
            .Take(GetJobQuery.MaxRowsShown)
            .Select(r => new JobRowItem(r.Line, r.Name, r.Email, r.Outcome, r.Reason, r.UserId))
            .ToListAsync(cancellationToken);
        var created = await rows.Where(r => r.Outcome == ImportRowOutcome.Created)
            .Take(GetJobQuery.MaxRowsShown)
            .Select(r => new JobRowItem(r.Line, r.Name, r.Email, r.Outcome, r.Reason, r.UserId))
            .ToListAsync(cancellationToken);
        return new JobDetails(job, notCreated, created, job.Done);
    }

    /// <summary>A bulk action's users in the same shape: those left alone with the reason, and those changed.</summary>
    private static async Task<Result<JobDetails>> BulkDetailsAsync(
        IAppDbContext db, JobListItem job, BulkUserAction action, CancellationToken cancellationToken)
    {
        var items = db.BulkActionItems.AsNoTracking().Where(i => i.JobId == job.Id).OrderBy(i => i.Position);
        var skipped = await items.Where(i => i.Outcome == BulkItemOutcome.Skipped)
            .Take(GetJobQuery.MaxRowsShown)
            .Select(i => new JobRowItem(i.Position, i.Name, i.Email, ImportRowOutcome.Skipped, i.Reason, null))
            .ToListAsync(cancellationToken);
        var deleted = action == BulkUserAction.Delete;
        var done = await items.Where(i => i.Outcome == BulkItemOutcome.Done)
            .Take(GetJobQuery.MaxRowsShown)
            .Select(i => new JobRowItem(i.Position, i.Name, i.Email, ImportRowOutcome.Created, deleted ? "Deleted" : null, deleted ? null : i.UserId))
            .ToListAsync(cancellationToken);
        return new JobDetails(job, skipped, done, job.Done);
    }
}

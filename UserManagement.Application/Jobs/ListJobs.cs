using System.Linq.Expressions;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Jobs;

/// <summary>The most recent jobs, newest first, with their progress.</summary>
public sealed record ListJobsQuery(int Count = ListJobsQuery.DefaultCount) : IQuery<Result<IReadOnlyList<JobListItem>>>
{
    public const int DefaultCount = 50;
    public const int MaxCount = 200;
}

public sealed class ListJobsQueryValidator : AbstractValidator<ListJobsQuery>
{
    public ListJobsQueryValidator() =>
        RuleFor(q => q.Count).InclusiveBetween(1, ListJobsQuery.MaxCount)
            .WithMessage($"Count must be between 1 and {ListJobsQuery.MaxCount}.");
}

public sealed class ListJobsQueryHandler(IAppDbContextFactory dbFactory) : IQueryHandler<ListJobsQuery, Result<IReadOnlyList<JobListItem>>>
{
    /// <summary>The one projection of a job into its list item, for every query that shows jobs.</summary>
    internal static readonly Expression<Func<Job, JobListItem>> ListItem = j => new JobListItem(
        j.Id, j.Kind, j.Title, j.RequestedBy, j.RequestedAt, j.Status, j.Total, j.Done, j.Skipped, j.Failed,
        j.StartedAt, j.FinishedAt, j.Summary, j.CancellationRequested, j.Attempts, j.LastError);

    public async ValueTask<Result<IReadOnlyList<JobListItem>>> Handle(ListJobsQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = await db.Jobs.AsNoTracking()
            .OrderByDescending(j => j.RequestedAt).ThenByDescending(j => j.Id)
            .Take(query.Count)
            .Select(ListItem)
            .ToListAsync(cancellationToken);
        return jobs;
    }
}

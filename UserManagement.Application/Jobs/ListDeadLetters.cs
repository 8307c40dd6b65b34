using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Jobs;

/// <summary>The messages the background worker gave up on, newest first, with their error.</summary>
public sealed record ListDeadLettersQuery(int Count = ListDeadLettersQuery.DefaultCount) : IQuery<Result<IReadOnlyList<DeadLetter>>>
{
    public const int DefaultCount = 50;
    public const int MaxCount = 200;
}

public sealed class ListDeadLettersQueryValidator : AbstractValidator<ListDeadLettersQuery>
{
    public ListDeadLettersQueryValidator() =>
        RuleFor(q => q.Count).InclusiveBetween(1, ListDeadLettersQuery.MaxCount)
            .WithMessage($"Count must be between 1 and {ListDeadLettersQuery.MaxCount}.");
}

/// <summary>
/// Lists the bus's dead letters. The bus keeps only the outermost exception ("An error occurred while saving..."),
/// so a dead letter of a job shows the root cause its job recorded.
/// </summary>
public sealed class ListDeadLettersQueryHandler(IDeadLetterStore deadLetters, IAppDbContextFactory dbFactory)
    : IQueryHandler<ListDeadLettersQuery, Result<IReadOnlyList<DeadLetter>>>
{
    public async ValueTask<Result<IReadOnlyList<DeadLetter>>> Handle(ListDeadLettersQuery query, CancellationToken cancellationToken)
    {
        var letters = await deadLetters.ListAsync(query.Count, cancellationToken);
        var jobIds = letters.Select(l => l.JobId).OfType<Guid>().ToList();
        if (jobIds.Count == 0)
        {
            return Result<IReadOnlyList<DeadLetter>>.Success(letters);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var causes = await db.Jobs.AsNoTracking().Where(j => jobIds.Contains(j.Id) && j.LastError != null)
            .ToDictionaryAsync(j => j.Id, j => j.LastError!, cancellationToken);
        return letters
            .Select(l => l.JobId is { } id && causes.TryGetValue(id, out var cause) ? l with { Error = cause } : l)
            .ToList();
    }
}

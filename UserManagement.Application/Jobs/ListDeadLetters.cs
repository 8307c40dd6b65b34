using FluentValidation;
using Mediator;
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

public sealed class ListDeadLettersQueryHandler(IDeadLetterStore deadLetters) : IQueryHandler<ListDeadLettersQuery, Result<IReadOnlyList<DeadLetter>>>
{
    public async ValueTask<Result<IReadOnlyList<DeadLetter>>> Handle(ListDeadLettersQuery query, CancellationToken cancellationToken) =>
        Result<IReadOnlyList<DeadLetter>>.Success(await deadLetters.ListAsync(query.Count, cancellationToken));
}

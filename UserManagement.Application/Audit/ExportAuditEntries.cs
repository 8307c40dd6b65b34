using System.Runtime.CompilerServices;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Audit;

/// <summary>
/// Every entry the filter matches, newest first, as a stream: the caller writes each row out as it is read, so
/// an export of millions of entries never sits in memory. The stream opens its own database context when it is
/// first read and closes it at the end.
/// </summary>
public sealed record ExportAuditEntriesQuery(AuditFilter Filter) : IQuery<Result<IAsyncEnumerable<AuditEntryItem>>>;

public sealed class ExportAuditEntriesQueryValidator : AbstractValidator<ExportAuditEntriesQuery>
{
    public ExportAuditEntriesQueryValidator() =>
        RuleFor(q => q.Filter).NotNull().SetValidator(new AuditFilterValidator());
}

public sealed class ExportAuditEntriesQueryHandler(IAppDbContextFactory dbFactory)
    : IQueryHandler<ExportAuditEntriesQuery, Result<IAsyncEnumerable<AuditEntryItem>>>
{
    public ValueTask<Result<IAsyncEnumerable<AuditEntryItem>>> Handle(ExportAuditEntriesQuery query, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Result<IAsyncEnumerable<AuditEntryItem>>.Success(StreamAsync(query.Filter, CancellationToken.None)));

    private async IAsyncEnumerable<AuditEntryItem> StreamAsync(
        AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = AuditQueries.Filtered(db, filter)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Select(AuditQueries.Item)
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return row;
        }
    }
}

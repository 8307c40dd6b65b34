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

/// <summary>Records the export (who, which filter) in the trail itself, then hands back the entries as a stream.</summary>
public sealed class ExportAuditEntriesQueryHandler(IAppDbContextFactory dbFactory, DataExports exports)
    : IQueryHandler<ExportAuditEntriesQuery, Result<IAsyncEnumerable<AuditEntryItem>>>
{
    public async ValueTask<Result<IAsyncEnumerable<AuditEntryItem>>> Handle(ExportAuditEntriesQuery query, CancellationToken cancellationToken)
    {
        var filter = query.Filter;
        await exports.RecordAsync(
            DataExports.Describe(
                "Audit trail", ("search", filter.Search), ("actor", filter.ActorName ?? (object?)filter.ActorId), ("action", filter.Action),
                ("user", filter.UserId), ("from", filter.From), ("to", filter.To), ("correlation", filter.CorrelationId)),
            cancellationToken);
        return Result<IAsyncEnumerable<AuditEntryItem>>.Success(StreamAsync(filter, CancellationToken.None));
    }

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

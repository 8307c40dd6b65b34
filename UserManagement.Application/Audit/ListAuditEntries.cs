using System.Linq.Expressions;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Audit;

/// <summary>
/// Which entries to show: by whom (a signed-in actor's id, or "system" / "anonymous"), which action, about which
/// user, from (inclusive) and to (exclusive) which UTC time, and containing which text. Every filter is served by an
/// index of its own (see AuditEntryConfiguration; AuditQueryPlanTests pin them).
/// </summary>
public sealed record AuditFilter(
    Guid? ActorId = null,
    string? ActorName = null,
    string? Action = null,
    Guid? UserId = null,
    DateTime? From = null,
    DateTime? To = null,
    string? Search = null,
    string? CorrelationId = null)
{
    public const int SearchMinLength = 3;
    public const int CorrelationIdMaxLength = 64;
    public const int SearchMaxLength = 200;

    /// <summary>The actors without an id that can be filtered on by name.</summary>
    public static IReadOnlyList<string> ActorsWithoutId { get; } = [OperationContext.SystemActorName, OperationContext.AnonymousActorName];
}

public sealed class AuditFilterValidator : AbstractValidator<AuditFilter>
{
    public AuditFilterValidator()
    {
        RuleFor(f => f.ActorName)
            .Must(name => name is null || AuditFilter.ActorsWithoutId.Contains(name))
            .WithMessage($"Filter by an administrator, or by one of: {string.Join(", ", AuditFilter.ActorsWithoutId)}.");
        RuleFor(f => f.Action).Must(a => a is null || AuditActions.IsKnown(a)).WithMessage("Unknown action filter.");
        RuleFor(f => f.To).GreaterThan(f => f.From).When(f => f.From is not null && f.To is not null)
            .WithMessage("The end of the date range must be after its start.");
        RuleFor(f => f.Search)
            .Must(s => s is null || s.Trim().Length is 0 or >= AuditFilter.SearchMinLength)
            .WithMessage($"Type at least {AuditFilter.SearchMinLength} characters to search.")
            .MaximumLength(AuditFilter.SearchMaxLength)
            .WithMessage($"Search must be at most {AuditFilter.SearchMaxLength} characters.");
        RuleFor(f => f.CorrelationId).MaximumLength(AuditFilter.CorrelationIdMaxLength)
            .WithMessage($"A correlation id is at most {AuditFilter.CorrelationIdMaxLength} characters.");
    }
}

/// <summary>
/// One page of the audit trail, newest first. Without a cursor, the newest page; with <see cref="Before"/>, the
/// page of older entries that follows it; with <see cref="After"/>, the page of newer entries before it.
/// </summary>
public sealed record ListAuditEntriesQuery(
    AuditFilter Filter, AuditCursor? Before = null, AuditCursor? After = null, int PageSize = ListAuditEntriesQuery.DefaultPageSize)
    : IQuery<Result<AuditPage>>
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;
}

public sealed class ListAuditEntriesQueryValidator : AbstractValidator<ListAuditEntriesQuery>
{
    public ListAuditEntriesQueryValidator()
    {
        RuleFor(q => q.Filter).NotNull().SetValidator(new AuditFilterValidator());
        RuleFor(q => q.After).Null().When(q => q.Before is not null).WithMessage("Page before or after an entry, not both.");
        RuleFor(q => q.PageSize)
            .InclusiveBetween(1, ListAuditEntriesQuery.MaxPageSize)
            .WithMessage($"Page size must be between 1 and {ListAuditEntriesQuery.MaxPageSize}.");
    }
}

public sealed class ListAuditEntriesQueryHandler(IAppDbContextFactory dbFactory)
    : IQueryHandler<ListAuditEntriesQuery, Result<AuditPage>>
{
    public async ValueTask<Result<AuditPage>> Handle(ListAuditEntriesQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = AuditQueries.Filtered(db, query.Filter);
        var size = query.PageSize;

        if (query.After is { } after)
        {
            var newer = await AuditQueries.NewerThan(entries, after)
                .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
                .Take(size + 1)
                .Select(AuditQueries.Item)
                .ToListAsync(cancellationToken);
            if (newer.Count > size)
            {
                newer.RemoveAt(size);
                newer.Reverse();
                return new AuditPage(newer, newer[0].Cursor, await OlderCursorAsync(entries, newer, cancellationToken));
            }

            // Back at the newest entries: show the newest page whole, as a fresh visit would.
        }

        var items = await (query.Before is { } before ? AuditQueries.OlderThan(entries, before) : entries)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Take(size + 1)
            .Select(AuditQueries.Item)
            .ToListAsync(cancellationToken);
        var hasOlder = items.Count > size;
        if (hasOlder)
        {
            items.RemoveAt(size);
        }

        var newerCursor = query.Before is not null && items.Count > 0
            && await AuditQueries.NewerThan(entries, items[0].Cursor).AnyAsync(cancellationToken)
                ? items[0].Cursor
                : (AuditCursor?)null;
        return new AuditPage(items, newerCursor, hasOlder ? items[^1].Cursor : null);
    }

    private static async Task<AuditCursor?> OlderCursorAsync(
        IQueryable<AuditEntry> entries, List<AuditEntryItem> items, CancellationToken cancellationToken) =>
        await AuditQueries.OlderThan(entries, items[^1].Cursor).AnyAsync(cancellationToken) ? items[^1].Cursor : null;
}

/// <summary>The filters and the keyset conditions the list and the export share.</summary>
internal static class AuditQueries
{
    public static readonly Expression<Func<AuditEntry, AuditEntryItem>> Item = e => new AuditEntryItem(
        e.Id, e.OccurredAt, e.ActorId, e.ActorName, e.Action, e.TargetId, e.TargetName, e.TargetEmail, e.Changes, e.Detail,
        e.CorrelationId);

    public static IQueryable<AuditEntry> Filtered(IAppDbContext db, AuditFilter filter)
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (filter.ActorId is { } actorId)
        {
            entries = entries.Where(e => e.ActorId == actorId);
        }
        else if (filter.ActorName is { } actorName)
        {
            entries = entries.Where(e => e.ActorId == null && e.ActorName == actorName);
        }

        if (filter.CorrelationId is { } correlationId)
        {
            // One operation's entries: a request, or a background job (its id).
            entries = entries.Where(e => e.CorrelationId == correlationId);
        }

        if (filter.Action is { } action)
        {
            entries = entries.Where(e => e.Action == action);
        }

        if (filter.UserId is { } userId)
        {
            entries = entries.Where(e => e.TargetId == userId);
        }

        if (filter.From is { } from)
        {
            entries = entries.Where(e => e.OccurredAt >= from);
        }

        if (filter.To is { } to)
        {
            entries = entries.Where(e => e.OccurredAt < to);
        }

        var search = filter.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            var matching = db.AuditEntryIdsMatching(search);
            entries = entries.Where(e => matching.Contains(e.Id));
        }

        return entries;
    }

    // Written as "time <= t AND (time < t OR id < i)" rather than the OR alone, so the index seeks to the cursor.
    public static IQueryable<AuditEntry> OlderThan(IQueryable<AuditEntry> entries, AuditCursor cursor) =>
        entries.Where(e => e.OccurredAt <= cursor.OccurredAt && (e.OccurredAt < cursor.OccurredAt || e.Id < cursor.Id));

    public static IQueryable<AuditEntry> NewerThan(IQueryable<AuditEntry> entries, AuditCursor cursor) =>
        entries.Where(e => e.OccurredAt >= cursor.OccurredAt && (e.OccurredAt > cursor.OccurredAt || e.Id > cursor.Id));
}

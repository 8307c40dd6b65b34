using System.Globalization;
using UserManagement.Application.Users;

namespace UserManagement.Application.Audit;

/// <summary>One entry as the History section, the Audit page and the CSV export show it.</summary>
public sealed record AuditEntryItem(
    long Id,
    DateTime OccurredAt,
    Guid? ActorId,
    string ActorName,
    string Action,
    Guid? TargetId,
    string? TargetName,
    string? TargetEmail,
    IReadOnlyList<FieldChange> Changes,
    string? Detail,
    string CorrelationId)
{
    public AuditCursor Cursor => new(OccurredAt, Id);
}

/// <summary>
/// One page of entries, newest first, with the cursors that fetch the pages around it: keyset paging, so every
/// page costs the same however deep it is. A null cursor means there is nothing further that way.
/// </summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryItem> Items, AuditCursor? Newer, AuditCursor? Older);

/// <summary>
/// A position in the trail's order (newest first: time, then id). It travels in URLs as "ticks-id", so a link to a
/// page keeps working, also after the entry it names was pruned.
/// </summary>
public readonly record struct AuditCursor(DateTime OccurredAt, long Id)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{OccurredAt.Ticks}-{Id}");

    public static AuditCursor? Parse(string? text)
    {
        var parts = text?.Split('-');
        return parts is [var ticks, var id]
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            && t >= DateTime.MinValue.Ticks && t <= DateTime.MaxValue.Ticks
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
                ? new AuditCursor(new DateTime(t, DateTimeKind.Utc), i)
                : null;
    }
}

using System.Globalization;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Web.Audit;

/// <summary>The audit trail as CSV: its columns, one row per entry, written by <see cref="CsvWriter"/>.</summary>
public static class AuditCsv
{
    public static IReadOnlyList<string> Header { get; } =
        ["Time (UTC)", "Actor", "Actor id", "Action", "User", "User email", "User id", "Changes", "Detail", "Correlation id", "Entry id"];

    public static IReadOnlyList<string?> Cells(AuditEntryItem entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return
        [
            entry.OccurredAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), entry.ActorName, entry.ActorId?.ToString(),
            AuditActions.Label(entry.Action), entry.TargetName, entry.TargetEmail, entry.TargetId?.ToString(), Changes(entry.Changes),
            entry.Detail, entry.CorrelationId, entry.Id.ToString(CultureInfo.InvariantCulture),
        ];
    }

    /// <summary>"Name: Ada -> Ada King; Email: ..." (a field set from nothing shows its new value only).</summary>
    public static string Changes(IReadOnlyList<FieldChange> changes) =>
        string.Join("; ", changes.Select(c => c.Old is null ? $"{c.Field}: {c.New}" : $"{c.Field}: {c.Old} -> {c.New ?? "(none)"}"));
}

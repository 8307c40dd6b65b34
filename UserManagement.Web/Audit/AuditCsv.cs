using System.Globalization;
using UserManagement.Application.Audit;
using UserManagement.Application.Users;
using UserManagement.Web.Csv;

namespace UserManagement.Web.Audit;

/// <summary>The audit trail as CSV: its columns, one row per entry, written by <see cref="CsvExport"/>.</summary>
public static class AuditCsv
{
    public static IReadOnlyList<string> Header { get; } =
        ["Time (UTC)", "Actor", "Actor id", "Action", "User", "User email", "User id", "Changes", "Detail", "Correlation id", "Entry id"];

    public static Task WriteAsync(Stream body, IAsyncEnumerable<AuditEntryItem> rows, CancellationToken cancellationToken) =>
        CsvExport.WriteAsync(body, Header, rows, Cells, cancellationToken);

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

    /// <summary>One field, made safe for a spreadsheet and quoted when needed.</summary>
    public static string Cell(string? value) => CsvExport.Cell(value);
}

using System.Globalization;
using System.Text;
using UserManagement.Application.Audit;
using UserManagement.Application.Users;

namespace UserManagement.Web.Audit;

/// <summary>
/// Writes audit entries as CSV (RFC 4180) that opens cleanly in a spreadsheet: UTF-8 with a byte-order mark, a
/// header row, CRLF line ends, fields quoted when they hold a comma, quote or line break, and a leading quote mark
/// on any field a spreadsheet would read as a formula (= + - @ tab CR): text typed by users never runs as one.
/// Rows are written as they are read, a buffer at a time, so an export never sits in memory.
/// </summary>
public static class AuditCsv
{
    public static IReadOnlyList<string> Header { get; } =
        ["Time (UTC)", "Actor", "Actor id", "Action", "User", "User email", "User id", "Changes", "Detail", "Correlation id", "Entry id"];

    private const int RowsPerFlush = 500;
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    public static async Task WriteAsync(Stream body, IAsyncEnumerable<AuditEntryItem> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n",
        };
        await writer.WriteAsync('\uFEFF');
        await WriteRowAsync(writer, Header);
        var written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await WriteRowAsync(writer, Cells(row));
            if (++written % RowsPerFlush == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
    }

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
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (FormulaStarts.Contains(value[0]))
        {
            value = "'" + value;
        }

        return value.IndexOfAny(NeedsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static Task WriteRowAsync(StreamWriter writer, IEnumerable<string?> cells) =>
        writer.WriteLineAsync(string.Join(',', cells.Select(Cell)));
}

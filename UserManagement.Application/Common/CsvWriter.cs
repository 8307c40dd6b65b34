using System.Buffers;
using System.Text;

namespace UserManagement.Application.Common;

/// <summary>
/// The one CSV writer of the app: the audit trail and users list downloads and the import's error report. RFC 4180
/// with CRLF line ends, UTF-8 with a byte-order mark (so a spreadsheet knows the encoding), a header row.
/// <para>
/// A value is stored exactly as typed (a name may start with "="), but a spreadsheet runs a cell that starts with
/// = + - @, a tab or a carriage return as a formula (CSV injection, OWASP). The file is written with commas, yet a
/// spreadsheet set up for a German or French locale splits it on semicolons, and some readers on tabs: to them
/// a new cell starts after any of those, and a quote that does not open the cell they see is just text. So every
/// place where any reader could start a cell is made safe, not only where ours do: a formula character at the
/// start of a value, or after a comma, semicolon, tab, line break or quote inside it (spaces between allowed), gets
/// an apostrophe before it, which makes the spreadsheet show the rest as text. And a value holding a comma,
/// semicolon, tab, quote or line break is quoted, so the readers that honour quotes keep it whole.
/// </para>
/// </summary>
public static class CsvWriter
{
    private const int RowsPerFlush = 500;

    /// <summary>
    /// Where a spreadsheet may see a new cell begin: after any separator it might split on, a line break or a quote.
    /// A value holding one of them is quoted too.
    /// </summary>
    private static readonly SearchValues<char> CellBoundaries = SearchValues.Create(",;\t\r\n\"");

    /// <summary>Streams the header and the rows to <paramref name="body"/>, a buffer at a time: an export never sits in memory.</summary>
    public static async Task WriteAsync<T>(
        Stream body, IReadOnlyList<string> header, IAsyncEnumerable<T> rows, Func<T, IReadOnlyList<string?>> cells, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cells);
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n",
        };
        await writer.WriteAsync('\uFEFF');
        await writer.WriteLineAsync(Row(header));
        var written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(Row(cells(row)));
            if (++written % RowsPerFlush == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
    }

    /// <summary>A small file whole, for a download made in memory (the import's error report).</summary>
    public static byte[] ToBytes<T>(IReadOnlyList<string> header, IEnumerable<T> rows, Func<T, IReadOnlyList<string?>> cells)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cells);
        var text = new StringBuilder().Append('\uFEFF').Append(Row(header)).Append("\r\n");
        foreach (var row in rows)
        {
            text.Append(Row(cells(row))).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>One row: its cells made safe, quoted when needed, joined with commas.</summary>
    public static string Row(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell));

    /// <summary>One field, made safe for a spreadsheet whatever it splits on, and quoted when needed.</summary>
    public static string Cell(string? value)
    {
        var safe = Neutralize(value);
        return safe.AsSpan().ContainsAny(CellBoundaries) ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }

    /// <summary>
    /// The value with an apostrophe before every formula character that starts it or follows a cell boundary
    /// (<see cref="CellBoundaries"/>) with nothing but spaces between.
    /// </summary>
    public static string Neutralize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        StringBuilder? safe = null;
        var cellStart = true;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (cellStart && c is '=' or '+' or '-' or '@' or '\t' or '\r')
            {
                safe ??= new StringBuilder(value.Length + 8).Append(value, 0, i);
                safe.Append('\'');
            }

            safe?.Append(c);
            cellStart = CellBoundaries.Contains(c) || (cellStart && c == ' ');
        }

        return safe?.ToString() ?? value;
    }
}

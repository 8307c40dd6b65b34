using System.Text;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;
using UserManagement.Web.Components.Shared;

namespace UserManagement.Web.Csv;

/// <summary>
/// Writes rows as CSV (RFC 4180) that opens cleanly in a spreadsheet: UTF-8 with a byte-order mark, a header row,
/// CRLF line ends, fields quoted when they hold a comma, quote or line break, and a leading quote mark on any field
/// a spreadsheet would read as a formula (<see cref="CsvCells.Neutralize"/>): text typed by users never runs as one.
/// Rows are written as they are read, a buffer at a time, so an export never sits in memory. Every CSV download of
/// the app (the audit trail, the users list) goes through it.
/// </summary>
public static class CsvExport
{
    private const int RowsPerFlush = 500;
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    /// <summary>
    /// Answers a download request: the rows as a CSV attachment named <paramref name="fileName"/>, or, when the query
    /// was refused, its message as text with 403 (not allowed) or 400 (bad filter).
    /// </summary>
    public static async Task SendAsync<T>(
        HttpContext context, Result<IAsyncEnumerable<T>> result, string fileName, IReadOnlyList<string> header, Func<T, IReadOnlyList<string?>> cells)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        if (!result.IsSuccess)
        {
            context.Response.StatusCode = result.Error is ForbiddenError ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(UserFeedback.Describe(result.Error), context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        context.Response.Headers.CacheControl = "no-store";
        await WriteAsync(context.Response.Body, header, result.Value, cells, context.RequestAborted);
    }

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
        await WriteRowAsync(writer, header);
        var written = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await WriteRowAsync(writer, cells(row));
            if (++written % RowsPerFlush == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
    }

    /// <summary>One field, made safe for a spreadsheet and quoted when needed.</summary>
    public static string Cell(string? value)
    {
        value = CsvCells.Neutralize(value);
        return value.IndexOfAny(NeedsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static Task WriteRowAsync(StreamWriter writer, IEnumerable<string?> cells) =>
        writer.WriteLineAsync(string.Join(',', cells.Select(Cell)));
}

using UserManagement.Application.Common;
using UserManagement.Web.Components.Shared;

namespace UserManagement.Web.Csv;

/// <summary>
/// Answers a CSV download request with rows written by <see cref="CsvWriter"/> (the app's one CSV writer: safe to
/// open in a spreadsheet whatever separator it splits on), streamed as they are read. Every CSV download of the app
/// (the audit trail, the users list) goes through it.
/// </summary>
public static class CsvExport
{
    /// <summary>
    /// The rows as a CSV attachment named <paramref name="fileName"/>, or, when the query was refused, its message as
    /// text with 403 (not allowed) or 400 (bad filter).
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
        await CsvWriter.WriteAsync(context.Response.Body, header, result.Value, cells, context.RequestAborted);
    }
}

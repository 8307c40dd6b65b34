using Mediator;
using UserManagement.Application.Audit;
using UserManagement.Web.Components.Pages.Audit;
using UserManagement.Web.Csv;

namespace UserManagement.Web.Audit;

public static class AuditEndpoints
{
    public const string ExportPath = "/" + AuditListView.ExportPath;

    /// <summary>
    /// GET /audit/export.csv with the audit page's filter parameters: every matching entry, newest first, streamed as
    /// CSV. Administrators only: the endpoint's policy, then the query's own authorization step.
    /// </summary>
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(ExportPath, ExportAsync).AsExport("Audit trail");
        return endpoints;
    }

    private static async Task ExportAsync(HttpContext context, ISender sender, TimeProvider clock)
    {
        var query = context.Request.Query;
        var view = AuditListView.FromQuery(query["search"], query["actor"], query["action"], query["user"], query["from"], query["to"], null, null, null, query["correlation"]);
        var result = await sender.Send(new ExportAuditEntriesQuery(view.ToFilter()), context.RequestAborted);
        await CsvExport.SendAsync(context, result, $"audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv", AuditCsv.Header, AuditCsv.Cells);
    }
}

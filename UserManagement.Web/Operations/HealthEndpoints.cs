using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UserManagement.Infrastructure.Operations;

namespace UserManagement.Web.Operations;

/// <summary>
/// <c>/health/live</c>: the process answers (no check runs). <c>/health/ready</c>: every check tagged
/// <see cref="HealthTags.Ready"/> passes (the database today; background work once the bus registers its check).
/// Both are anonymous and answer only statuses and check names: causes and exceptions go to the server log.
/// 200 when Healthy or Degraded, 503 when Unhealthy.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteStatusAsync })
            .AllowAnonymous();
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = WriteStatusAsync,
        }).AllowAnonymous();
        return endpoints;
    }

    /// <summary><c>{"status":"Healthy","checks":{"database":"Healthy"}}</c>: nothing but names and statuses.</summary>
    private static Task WriteStatusAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString(), StringComparer.Ordinal),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}

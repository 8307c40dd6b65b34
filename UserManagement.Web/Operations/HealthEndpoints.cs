using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UserManagement.Infrastructure.Operations;

namespace UserManagement.Web.Operations;

/// <summary>
/// <c>/health/live</c>: the process answers (no check runs). <c>/health/ready</c>: every check tagged
/// <see cref="HealthTags.Ready"/> passes (the database and background work), answered from
/// <see cref="ReadinessCache"/> (the checks run at most once every few seconds, however many ask).
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
        endpoints.MapGet(ReadyPath, ReadyAsync).AllowAnonymous();
        return endpoints;
    }

    /// <summary>Registers the readiness cache and its <c>Health:*</c> settings.</summary>
    public static IServiceCollection AddReadinessCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HealthOptions>(configuration.GetSection(HealthOptions.Section));
        services.AddSingleton<ReadinessCache>();
        return services;
    }

    private static async Task ReadyAsync(HttpContext context, ReadinessCache readiness)
    {
        var report = await readiness.GetAsync(context.RequestAborted);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store, no-cache";
        await WriteStatusAsync(context, report);
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

using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using UserManagement.Application.Common;

namespace UserManagement.Web.Operations;

/// <summary>
/// OpenTelemetry traces and metrics, exported over OTLP, switched on by setting
/// <see cref="EndpointSetting"/> (an environment variable, or a key in appsettings). Unset, nothing of the SDK
/// is registered and the app's instruments cost a check of "is anyone listening" per message.
/// The exporter reads the other standard <c>OTEL_*</c> settings (protocol, headers, service name) itself.
/// </summary>
public static class Telemetry
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "usermanagement";

    /// <summary>Traces and metrics of ASP.NET Core, Blazor, EF Core and the app's messages; the names that carry them.</summary>
    public static readonly string[] TraceSources = [AppTelemetry.Name, "Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.SignalR.Server"];

    public static readonly string[] Meters =
    [
        AppTelemetry.Name,
        "Microsoft.AspNetCore.Components",
        "Microsoft.AspNetCore.Components.Lifecycle",
        "Microsoft.AspNetCore.Components.Server.Circuits",
        "Microsoft.EntityFrameworkCore",
    ];

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[EndpointSetting]);

    public static IServiceCollection AddOpenTelemetryWhenConfigured(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(TraceSources)
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsHealthProbe(context))
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        return services;
    }

    /// <summary>Health probes arrive every few seconds; a trace of each would drown the interesting ones.</summary>
    private static bool IsHealthProbe(HttpContext context) => context.Request.Path.StartsWithSegments("/health");
}

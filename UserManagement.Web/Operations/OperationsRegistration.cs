using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UserManagement.Application.Common;

namespace UserManagement.Web.Operations;

/// <summary>
/// What an operator needs from the running app, registered in one place: health endpoints, OpenTelemetry export
/// (only when configured), graceful shutdown and request correlation in the logs. See docs/operations.md.
/// </summary>
public static class OperationsRegistration
{
    /// <summary>The application's telemetry instruments and the count of commands in flight (used by the pipeline).</summary>
    public static IServiceCollection AddMessageTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<AppTelemetry>();
        services.TryAddSingleton<CommandsInFlight>();
        return services;
    }

    /// <summary>
    /// The host-side operations services: OpenTelemetry when configured, the readiness cache, graceful shutdown, the
    /// open-circuit count.
    /// </summary>
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOpenTelemetryWhenConfigured(configuration);
        services.AddReadinessCache(configuration);
        services.AddGracefulShutdown(configuration);
        services.AddSingleton<OpenCircuits>();
        services.AddScoped<CircuitHandler, OpenCircuitsHandler>();
        return services;
    }
}

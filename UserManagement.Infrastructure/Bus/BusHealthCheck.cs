using Microsoft.Extensions.Diagnostics.HealthChecks;
using UserManagement.Infrastructure.Operations;
using Wolverine.Runtime;
using Wolverine.Transports;

namespace UserManagement.Infrastructure.Bus;

/// <summary>
/// Ready means background work is taken in and done: the bus's message store answers (its inbox, outbox and dead
/// letters, in the app's SQLite file by default) and the <c>background</c> queue's listener is accepting messages
/// (not stopped, not paused after repeated failures). Registered under <see cref="HealthTags.Ready"/>.
/// </summary>
public sealed class BusHealthCheck(IWolverineRuntime runtime) : IHealthCheck
{
    public const string Name = "background-work";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await runtime.Storage.Admin.CheckConnectivityAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The bus's message store cannot be reached.", e);
        }

        // A durable local queue is its own listener circuit; a RabbitMQ queue has a listening agent.
        var status = runtime.Endpoints.FindListenerCircuit(LocalQueue)?.Status
            ?? runtime.Endpoints.ActiveListeners().FirstOrDefault(l => IsBackgroundQueue(l.Uri))?.Status;
        return status switch
        {
            null => HealthCheckResult.Unhealthy($"Nothing listens to the '{BusOptions.BackgroundQueue}' queue."),
            ListeningStatus.Accepting => HealthCheckResult.Healthy(),
            _ => HealthCheckResult.Unhealthy($"The '{BusOptions.BackgroundQueue}' queue is {status}."),
        };
    }

    private static readonly Uri LocalQueue = new($"local://{BusOptions.BackgroundQueue}");

    /// <summary>local://background, or rabbitmq://queue/background when RabbitMQ carries it.</summary>
    internal static bool IsBackgroundQueue(Uri uri) =>
        uri.Host == BusOptions.BackgroundQueue || uri.Segments.LastOrDefault()?.Trim('/') == BusOptions.BackgroundQueue;
}

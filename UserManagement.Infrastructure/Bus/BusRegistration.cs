using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UserManagement.Application.Jobs;
using UserManagement.Infrastructure.AuditTrail;
using UserManagement.Infrastructure.Operations;
using Wolverine;
using Wolverine.EntityFrameworkCore;
using Wolverine.ErrorHandling;
using Wolverine.RabbitMQ;

namespace UserManagement.Infrastructure.Bus;

/// <summary>
/// All of the message bus's configuration (WolverineFx), in one place: where its durable state lives, which
/// transport carries background messages, how failures are retried and dead-lettered, and which handlers it runs.
/// Application code names none of it: it sends <see cref="IBackgroundMessage"/>s through <see cref="IBackgroundWork"/>
/// and writes plain handler classes. See docs/adr/0014-durable-message-bus.md.
/// </summary>
public static class BusRegistration
{
    public static IServiceCollection AddBus(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        var database = DatabaseRegistration.For(configuration, contentRoot);

        // Registered before the bus so that it runs first and a stale build never starts handling messages.
        services.AddHostedService<GeneratedCodeCheck>();
        services.AddWolverine(ExtensionDiscovery.ManualOnly, bus =>
        {
            bus.ServiceName = "UserManagement";

            // The generated handler code is compiled into this assembly; the handlers live in the Application's.
            bus.ApplicationAssembly = typeof(BusRegistration).Assembly;
            bus.Discovery.IncludeAssembly(typeof(IBackgroundMessage).Assembly);
            bus.Discovery.CustomizeHandlerDiscovery(types => types.Excludes.WithCondition(
                "handlers of the mediator, which answers them itself", IsMediatorType));

            // Core 6 compiles no code at run time: the handler code is generated ahead (`codegen write`) and a
            // missing or stale type fails the start (BusStartupCheck) instead of slowing it down.
            bus.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            bus.CodeGeneration.GeneratedCodeOutputPath = options.GeneratedCodePath
                ?? Path.GetFullPath(Path.Combine(contentRoot, "..", "UserManagement.Infrastructure", "Internal", "Generated"));

            // One node owns all durable work: after a crash the restarted process takes its messages back at once
            // (Balanced mode waited for a lease on SQLite; see the ADR).
            bus.Durability.Mode = DurabilityMode.Solo;
            bus.DefaultExecutionTimeout = options.ExecutionTimeout;
            bus.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;

            // In the app's own database, whichever the provider: the outbox then commits with the change (ADR 0021).
            database.StoreBusMessages(bus);
            bus.UseEntityFrameworkCoreTransactions();

            bus.OnException<Exception>()
                .RetryWithCooldown(options.EffectiveRetryDelays)
                .Then.MoveToErrorQueue()
                .And(RecordGaveUpAsync, "Mark the job as failed");

            switch (options.Transport)
            {
                case BusTransport.RabbitMQ:
                    bus.UseRabbitMq(new Uri(Required(configuration, "RabbitMQ"))).AutoProvision();
                    bus.Publish(route => route.MessagesImplementing<IBackgroundMessage>().ToRabbitQueue(BusOptions.BackgroundQueue));
                    bus.ListenToRabbitQueue(BusOptions.BackgroundQueue).UseDurableInbox().Sequential();
                    break;
                default:
                    bus.Publish(route => route.MessagesImplementing<IBackgroundMessage>().ToLocalQueue(BusOptions.BackgroundQueue));
                    bus.LocalQueue(BusOptions.BackgroundQueue).UseDurableInbox().Sequential();
                    break;
            }

            // Domain events stay on this node whatever carries background work: every node's live pages need them all
            // (several nodes: a fan-out exchange, ADR 0021). Durable, so a crash after the commit delivers them at restart;
            // sequential, so they arrive in the order they were committed.
            bus.Publish(route => route.Message<DeliverDomainEvents>().ToLocalQueue(BusOptions.DomainEventsQueue));
            bus.LocalQueue(BusOptions.DomainEventsQueue).UseDurableInbox().Sequential();
        });

        // Registered after the bus: it starts accepting once the bus runs and stops before the bus does.
        if (options.DomainEvents == DomainEventDelivery.Outbox)
        {
            services.AddSingleton<WolverineDomainEventOutbox>();
            services.AddSingleton<IDomainEventOutbox>(sp => sp.GetRequiredService<WolverineDomainEventOutbox>());
            services.AddHostedService(sp => sp.GetRequiredService<WolverineDomainEventOutbox>());
        }

        services.AddScoped<IBackgroundWork, OutboxBackgroundWork>();
        services.AddSingleton<IDeadLetterStore, WolverineDeadLetterStore>();
        services.AddSingleton<JobFailures>();
        services.AddSingleton<JobRunner>();
        services.AddHealthChecks().AddCheck<BusHealthCheck>(
            BusHealthCheck.Name, HealthStatus.Unhealthy, [HealthTags.Ready], TimeSpan.FromSeconds(10));
        return services;
    }

    /// <summary>Types of the mediator (martinothamar/Mediator): its handlers, which the bus must leave alone.</summary>
    internal static bool IsMediatorType(Type type) =>
        type.GetInterfaces().Any(i => i.Namespace == "Mediator");

    private static async ValueTask RecordGaveUpAsync(Wolverine.Runtime.IWolverineRuntime runtime, IEnvelopeLifecycle lifecycle, Exception error)
    {
        if (lifecycle.Envelope?.Message is IJobMessage job)
        {
            await runtime.Services.GetRequiredService<JobFailures>().RecordGaveUpAsync(job.JobId, error, CancellationToken.None);
        }
    }

    private static string Required(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name)
        ?? throw new InvalidOperationException($"The bus is configured to use ConnectionStrings:{name}, which is not set.");
}

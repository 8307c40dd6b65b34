using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;

namespace UserManagement.Infrastructure;

/// <summary>
/// Publishes committed events to the <see cref="IDomainEventSubscriber{TEvent}"/>s registered in this process, one
/// event after the other in the order given, each in a service scope of the batch. A subscriber is found for the
/// event's own type and for each event interface it implements (<c>IUserEvent</c>, <c>IDomainEvent</c>). A failing
/// subscriber is logged and the others still run. With the bus running, committed events reach it through the bus's
/// outbox (<c>DeliverDomainEventsHandler</c>, ADR 0021); without it, the interceptor calls it after the commit.
/// </summary>
public sealed partial class InProcessDomainEventPublisher(IServiceScopeFactory scopes, ILogger<InProcessDomainEventPublisher> logger)
    : IDomainEventPublisher
{
    private static readonly ConcurrentDictionary<Type, (Type Type, MethodInfo Handle)[]> SubscriberTypes = new();

    public async ValueTask PublishAsync(IReadOnlyList<CommittedEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        await using var scope = scopes.CreateAsyncScope();
        foreach (var committed in events)
        {
            // An import publishes an event per user: the subscriber types and their method are looked up once per event type.
            foreach (var (subscriberType, handle) in SubscriberTypes.GetOrAdd(committed.Event.GetType(), SubscriberTypesFor))
            {
                foreach (var subscriber in scope.ServiceProvider.GetServices(subscriberType))
                {
                    try
                    {
                        await (ValueTask)handle.Invoke(subscriber, [committed.Event, committed.Context, cancellationToken])!;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogSubscriberFailed(e, subscriber!.GetType().Name, committed.Event.GetType().Name, committed.Context.CorrelationId);
                    }
                }
            }
        }
    }

    private static (Type Type, MethodInfo Handle)[] SubscriberTypesFor(Type eventType) =>
    [
        .. new[] { eventType }
            .Concat(eventType.GetInterfaces().Where(i => typeof(IDomainEvent).IsAssignableFrom(i)))
            .Select(t => typeof(IDomainEventSubscriber<>).MakeGenericType(t))
            .Select(t => (t, t.GetMethod(nameof(IDomainEventSubscriber<IDomainEvent>.HandleAsync))!)),
    ];

    [LoggerMessage(EventId = 1397, Level = LogLevel.Error, Message = "{Subscriber} failed on {Event} of operation {CorrelationId}")]
    private partial void LogSubscriberFailed(Exception exception, string subscriber, string @event, string correlationId);
}

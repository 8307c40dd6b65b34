using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;

namespace UserManagement.Infrastructure.Bus;

/// <summary>
/// The domain events of one committed save and the operation that caused them (who, correlation id), as the bus
/// carries them: one message per save keeps the save's events in order and an import batch to one outbox row.
/// Each event travels as its type's name and its JSON.
/// </summary>
public sealed record DeliverDomainEvents(Guid? ActorId, string ActorName, string CorrelationId, DomainEventPayload[] Events)
{
    public static DeliverDomainEvents For(IReadOnlyList<IDomainEvent> events, OperationContext context) =>
        new(context.ActorId, context.ActorName, context.CorrelationId, [.. events.Select(DomainEventPayload.From)]);

    public OperationContext Context => new(ActorId, ActorName, CorrelationId);
}

/// <summary>One domain event: the full name of its type (a record of the Application) and its JSON.</summary>
public sealed record DomainEventPayload(string Type, string Json)
{
    /// <summary>Only the Application's own event types are ever read back: a message names no other type.</summary>
    private static readonly FrozenDictionary<string, Type> EventTypes = typeof(IDomainEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainEvent).IsAssignableFrom(t))
        .ToFrozenDictionary(t => t.FullName!, StringComparer.Ordinal);

    public static DomainEventPayload From(IDomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var type = domainEvent.GetType();
        return new DomainEventPayload(type.FullName!, JsonSerializer.Serialize(domainEvent, type));
    }

    /// <summary>The event, or null when this version of the app has no such event type.</summary>
    public IDomainEvent? ToEvent() =>
        EventTypes.TryGetValue(Type, out var type) ? (IDomainEvent?)JsonSerializer.Deserialize(Json, type) : null;
}

/// <summary>
/// Delivers the events of a committed save to this node's <see cref="IDomainEventSubscriber{TEvent}"/>s, one message at
/// a time in the order they were committed (the <c>domain-events</c> queue is sequential), with the operation of the
/// change, through the same code that calls them in process. A failing subscriber is logged and the others still run,
/// so a delivery is not retried because of one subscriber.
/// </summary>
public sealed partial class DeliverDomainEventsHandler(InProcessDomainEventPublisher subscribers, ILogger<DeliverDomainEventsHandler> logger)
{
    public async Task Handle(DeliverDomainEvents message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = message.Context;
        var events = new List<CommittedEvent>(message.Events.Length);
        foreach (var payload in message.Events)
        {
            if (payload.ToEvent() is { } domainEvent)
            {
                events.Add(new CommittedEvent(domainEvent, context));
            }
            else
            {
                LogUnknownEvent(payload.Type, context.CorrelationId);
            }
        }

        using (OperationContext.Begin(context))
        {
            await subscribers.PublishAsync(events, cancellationToken);
        }

        LogDelivered(events.Count, context.CorrelationId);
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Debug, Message = "Delivered {Count} domain event(s) of operation {CorrelationId} from the outbox")]
    private partial void LogDelivered(int count, string correlationId);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "A domain event of unknown type {Type} (operation {CorrelationId}) was not delivered")]
    private partial void LogUnknownEvent(string type, string correlationId);
}

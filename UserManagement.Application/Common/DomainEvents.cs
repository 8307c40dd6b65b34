namespace UserManagement.Application.Common;

/// <summary>
/// Something that happened to the model, named in the past tense (<c>UserCreated</c>). Entities raise them; the
/// save that writes the change turns each into an audit entry in the same transaction, and once that
/// transaction commits they are published, in the order they happened. Events never carry secrets (password
/// hashes, security stamps), only the fact that they changed.
/// </summary>
public interface IDomainEvent
{
    DateTime OccurredAt { get; }
}

/// <summary>
/// An entity that raises domain events. The save collects them (from every tracked entity, deleted ones
/// included) and clears them once they are written.
/// </summary>
public abstract class EventSourceEntity
{
    private readonly List<RaisedEvent> _raised = [];

    /// <summary>
    /// What happened to this entity since it was last saved, oldest first, each with its place in the order of
    /// everything raised in this process.
    /// </summary>
    public IReadOnlyList<RaisedEvent> RaisedEvents => _raised;

    public void ClearDomainEvents() => _raised.Clear();

    protected void Raise(IDomainEvent domainEvent) => _raised.Add(RaisedEvent.Now(domainEvent));
}

/// <summary>
/// A raised event and its sequence number, so that the events of several entities (and those raised for changes
/// made outside the change tracker) are saved and published in the order they happened.
/// </summary>
public readonly record struct RaisedEvent(long Sequence, IDomainEvent Event)
{
    private static long _last;

    public static RaisedEvent Now(IDomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return new RaisedEvent(Interlocked.Increment(ref _last), domainEvent);
    }
}

/// <summary>A domain event that has been committed, with the operation that caused it.</summary>
public sealed record CommittedEvent(IDomainEvent Event, OperationContext Context);

/// <summary>
/// Hands committed events to the <see cref="IDomainEventSubscriber{TEvent}"/>s of this process. Called only after the
/// transaction that wrote them commits, never for a change that rolled back, with the events of one commit in the
/// order they happened: by the bus's delivery of the outbox (<c>DeliverDomainEventsHandler</c>, ADR 0021) when the bus
/// runs, and by the audit trail itself right after the commit when it does not.
/// </summary>
public interface IDomainEventPublisher
{
    ValueTask PublishAsync(IReadOnlyList<CommittedEvent> events, CancellationToken cancellationToken = default);
}

/// <summary>
/// Reacts to one kind of committed event (<c>UserChangeBroadcast</c> tells the open pages of this node). The change
/// is already committed when it runs: a failure here is logged, never undoes it.
/// </summary>
public interface IDomainEventSubscriber<in TEvent>
    where TEvent : IDomainEvent
{
    ValueTask HandleAsync(TEvent domainEvent, OperationContext context, CancellationToken cancellationToken);
}

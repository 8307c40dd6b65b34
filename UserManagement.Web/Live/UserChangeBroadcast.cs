using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Web.Live;

/// <summary>A committed change to a user, with who made it, as the open pages of this node hear of it.</summary>
public sealed record UserChange(IUserEvent Event, OperationContext Context);

/// <summary>
/// Tells this node's open circuits (users lists, edit forms, their authentication state) about committed user
/// changes. The domain event publisher feeds it as one more <see cref="IDomainEventSubscriber{TEvent}"/>: in process
/// today; once events travel over the bus, each node's copy of this subscriber fans them out to that node's circuits,
/// and nothing here changes (ADR 0016). A listener is a circuit's component: it must marshal onto its renderer
/// (<c>InvokeAsync</c>) and return quickly. A listener that throws is logged and never reaches the publisher.
/// </summary>
public sealed partial class UserChangeBroadcast(ILogger<UserChangeBroadcast> logger) : IDomainEventSubscriber<IUserEvent>
{
    private readonly Lock _gate = new();
    // Copy on write: publishing reads a snapshot without a lock while circuits come and go.
    private volatile Subscription[] _listeners = [];

    /// <summary>How many listeners are subscribed now: a circuit that ended must have left none behind.</summary>
    public int ListenerCount => _listeners.Length;

    /// <summary>Calls <paramref name="listener"/> for every committed user change until the returned handle is disposed.</summary>
    public IDisposable Subscribe(Func<UserChange, Task> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var subscription = new Subscription(this, listener);
        lock (_gate)
        {
            _listeners = [.. _listeners, subscription];
        }

        return subscription;
    }

    public async ValueTask HandleAsync(IUserEvent domainEvent, OperationContext context, CancellationToken cancellationToken)
    {
        var change = new UserChange(domainEvent, context);
        await Task.WhenAll(_listeners.Select(s => NotifyAsync(s, change)));
    }

    private async Task NotifyAsync(Subscription subscription, UserChange change)
    {
        try
        {
            await subscription.Listener(change);
        }
        catch (Exception e)
        {
            LogListenerFailed(e, change.Event.GetType().Name, change.Context.CorrelationId);
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(s => s != subscription)];
        }
    }

    [LoggerMessage(EventId = 1320, Level = LogLevel.Warning, Message = "An open page failed to take in {Event} of operation {CorrelationId}")]
    private partial void LogListenerFailed(Exception exception, string @event, string correlationId);

    private sealed class Subscription(UserChangeBroadcast owner, Func<UserChange, Task> listener) : IDisposable
    {
        public Func<UserChange, Task> Listener { get; } = listener;

        public void Dispose() => owner.Remove(this);
    }
}

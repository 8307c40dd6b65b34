using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Web.Live;

/// <summary>A committed change to a user, with who made it, as the open pages of this node hear of it.</summary>
public sealed record UserChange(IUserEvent Event, OperationContext Context);

/// <summary>
/// Tells this node's open circuits (users lists, edit forms, lockout alerts, their authentication state) about
/// committed user changes. It is one more <see cref="IDomainEventSubscriber{TEvent}"/>: the bus delivers each save's
/// events after the commit (ADR 0021) and this node's subscribers hear them, this one among them; without the bus they
/// are published in process after the commit. A listener is a circuit's component: it goes onto its renderer through
/// <c>LiveComponent.OnRendererAsync</c>, which hands a bug to that circuit's error boundary, and returns quickly. This
/// class guards the publisher, which every circuit shares: a listener that still throws (its component is gone) is
/// logged (1320) and never reaches the publisher or the other listeners.
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

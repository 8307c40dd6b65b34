using System.Collections.Concurrent;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Web.Live;

/// <summary>
/// Remembers, for a few seconds, that a session was good when a live refresh confirmed it. One colleague's change
/// makes every open list and form refresh at once; without this, each refresh would ask the database about its
/// session again. Only live refreshes (<see cref="PassiveRefresh"/>) use it: what the person sends is confirmed every
/// time, as docs/security.md promises. Any change to a user forgets that user's sessions at once (the publisher
/// feeds this subscriber), so a disable, demotion or sign-out everywhere is never served from here; <see cref="Lifetime"/>
/// bounds what a change that arrives no other way could leave behind.
/// </summary>
public sealed class LiveSessionChecks(TimeProvider clock) : IDomainEventSubscriber<IUserEvent>
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, (Caller Caller, DateTimeOffset Until)> _confirmed = new();

    /// <summary>The session's caller from a re-check made less than <see cref="Lifetime"/> ago, else from <paramref name="recheck"/>.</summary>
    public async Task<Caller?> RecheckAsync(Guid sessionId, Func<Task<Caller?>> recheck)
    {
        ArgumentNullException.ThrowIfNull(recheck);
        var now = clock.GetUtcNow();
        if (_confirmed.TryGetValue(sessionId, out var known) && known.Until > now)
        {
            return known.Caller;
        }

        var caller = await recheck();
        if (caller is null)
        {
            _confirmed.TryRemove(sessionId, out _);
        }
        else
        {
            _confirmed[sessionId] = (caller, now + Lifetime);
        }

        return caller;
    }

    public ValueTask HandleAsync(IUserEvent domainEvent, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var now = clock.GetUtcNow();
        foreach (var (sessionId, known) in _confirmed)
        {
            if (known.Caller.UserId == domainEvent.User.Id || known.Until <= now)
            {
                _confirmed.TryRemove(sessionId, out _);
            }
        }

        return ValueTask.CompletedTask;
    }
}

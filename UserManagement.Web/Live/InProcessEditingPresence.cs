namespace UserManagement.Web.Live;

/// <summary>
/// Who edits which user, for the circuits of this process only (ADR 0016: several nodes need a shared registry in
/// its place). Watchers are told after every change; one that throws is logged and the others still hear.
/// </summary>
public sealed partial class InProcessEditingPresence(ILogger<InProcessEditingPresence> logger) : IEditingPresence
{
    private readonly Lock _gate = new();
    private readonly List<(Guid UserId, PresentEditor Editor)> _entries = [];
    private readonly HashSet<string> _disconnected = [];
    private readonly List<Watcher> _watchers = [];

    /// <summary>How many watchers are registered: a circuit that ended must have left none behind.</summary>
    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public void Enter(Guid userId, PresentEditor editor)
    {
        ArgumentNullException.ThrowIfNull(editor);
        lock (_gate)
        {
            _entries.RemoveAll(e => e.UserId == userId && e.Editor.ConnectionId == editor.ConnectionId);
            _entries.Add((userId, editor));
        }

        Notify([userId]);
    }

    public void Leave(Guid userId, string connectionId) =>
        Notify(Remove(e => e.UserId == userId && e.Editor.ConnectionId == connectionId));

    public void LeaveAll(string connectionId)
    {
        lock (_gate)
        {
            _disconnected.Remove(connectionId);
        }

        Notify(Remove(e => e.Editor.ConnectionId == connectionId));
    }

    public void SetConnected(string connectionId, bool connected)
    {
        Guid[] affected;
        lock (_gate)
        {
            var changed = connected ? _disconnected.Remove(connectionId) : _disconnected.Add(connectionId);
            affected = changed ? [.. _entries.Where(e => e.Editor.ConnectionId == connectionId).Select(e => e.UserId).Distinct()] : [];
        }

        Notify(affected);
    }

    public IReadOnlyList<PresentEditor> EditorsOf(Guid userId)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => e.UserId == userId && !_disconnected.Contains(e.Editor.ConnectionId)).Select(e => e.Editor)];
        }
    }

    public IDisposable Watch(Guid userId, Func<Task> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var watcher = new Watcher(this, userId, changed);
        lock (_gate)
        {
            _watchers.Add(watcher);
        }

        return watcher;
    }

    private Guid[] Remove(Predicate<(Guid UserId, PresentEditor Editor)> match)
    {
        lock (_gate)
        {
            var affected = _entries.Where(e => match(e)).Select(e => e.UserId).Distinct().ToArray();
            _entries.RemoveAll(match);
            return affected;
        }
    }

    private void Notify(Guid[] userIds)
    {
        if (userIds.Length == 0)
        {
            return;
        }

        Watcher[] watchers;
        lock (_gate)
        {
            watchers = [.. _watchers.Where(w => userIds.Contains(w.UserId))];
        }

        foreach (var watcher in watchers)
        {
            _ = NotifyAsync(watcher);
        }
    }

    private async Task NotifyAsync(Watcher watcher)
    {
        try
        {
            await watcher.Changed();
        }
        catch (Exception e)
        {
            LogWatcherFailed(e, watcher.UserId);
        }
    }

    [LoggerMessage(EventId = 1321, Level = LogLevel.Warning, Message = "An open edit form of user {UserId} failed to show who else is editing")]
    private partial void LogWatcherFailed(Exception exception, Guid userId);

    private sealed class Watcher(InProcessEditingPresence owner, Guid userId, Func<Task> changed) : IDisposable
    {
        public Guid UserId { get; } = userId;

        public Func<Task> Changed { get; } = changed;

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._watchers.Remove(this);
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using UserManagement.Application.Common;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.Support;

/// <summary>
/// Subscribes to every event a <see cref="TestApp"/> publishes and keeps them in order. For each it also notes how
/// many audit entries of the same operation another connection could see at that moment: only committed data is
/// visible there, so that number proves the event came after the commit.
/// </summary>
public sealed class PublishedEvents(TestDatabase database) : IDomainEventSubscriber<IDomainEvent>
{
    private readonly ConcurrentQueue<Published> _events = new();

    public sealed record Published(IDomainEvent Event, OperationContext Context, long CommittedEntriesOfItsOperation);

    public IReadOnlyList<Published> All => [.. _events];

    public IReadOnlyList<IDomainEvent> Events => [.. _events.Select(p => p.Event)];

    public void Clear() => _events.Clear();

    /// <summary>Completes when the <paramref name="count"/>th event of type <typeparamref name="T"/> has been published.</summary>
    public Task<T> WaitForAsync<T>(int count = 1)
        where T : IDomainEvent
    {
        var waiter = new Waiter(e => e is T, count, new TaskCompletionSource<IDomainEvent>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_waiters)
        {
            _waiters.Add(waiter);
            waiter.Check(_events);
        }

        return waiter.Done.Task.ContinueWith(t => (T)t.Result, TaskScheduler.Default);
    }

    private readonly List<Waiter> _waiters = [];

    private sealed record Waiter(Func<IDomainEvent, bool> Matches, int Count, TaskCompletionSource<IDomainEvent> Done)
    {
        public void Check(IEnumerable<Published> events)
        {
            var matching = events.Where(p => Matches(p.Event)).ToList();
            if (matching.Count >= Count)
            {
                Done.TrySetResult(matching[Count - 1].Event);
            }
        }
    }

    public async ValueTask HandleAsync(IDomainEvent domainEvent, OperationContext context, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = TestDatabase.Command(
            connection, """SELECT COUNT(*) FROM "AuditEntries" WHERE "CorrelationId" = @id""", ("id", context.CorrelationId));
        var committed = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        _events.Enqueue(new Published(domainEvent, context, committed));
        lock (_waiters)
        {
            _waiters.ForEach(w => w.Check(_events));
        }
    }
}

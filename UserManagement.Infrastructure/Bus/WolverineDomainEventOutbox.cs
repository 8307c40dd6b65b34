using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using UserManagement.Application.Common;
using UserManagement.Infrastructure.AuditTrail;
using Wolverine.EntityFrameworkCore;
using Wolverine.Runtime;

namespace UserManagement.Infrastructure.Bus;

/// <summary>
/// Writes a save's domain events to Wolverine's outbox as one <see cref="DeliverDomainEvents"/> message, through the
/// saving context's connection and in its open transaction (Wolverine's EF Core outbox on a context without its
/// mappings writes raw SQL there), and hands it to the <c>domain-events</c> queue after the commit. Accepting only
/// between the bus's start and stop: it is registered after the bus, so it starts after it and stops before it.
/// See docs/adr/0021-domain-events-through-the-outbox.md.
/// </summary>
internal sealed class WolverineDomainEventOutbox(IWolverineRuntime runtime) : IDomainEventOutbox, IHostedService
{
    private volatile bool _accepting;

    public bool IsAccepting => _accepting;

    public async Task<IStoredDomainEvents> StoreAsync(
        DbContext db, IReadOnlyList<IDomainEvent> events, OperationContext context, CancellationToken cancellationToken)
    {
        var outbox = new DbContextOutbox<DbContext>(runtime, db, []);
        await outbox.PublishAsync(DeliverDomainEvents.For(events, context));
        return new Stored(outbox);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _accepting = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _accepting = false;
        return Task.CompletedTask;
    }

    private sealed class Stored(DbContextOutbox<DbContext> outbox) : IStoredDomainEvents
    {
        public Task DeliverAsync() => outbox.FlushOutgoingMessagesAsync();
    }
}

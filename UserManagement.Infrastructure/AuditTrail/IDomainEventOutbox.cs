using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Infrastructure.AuditTrail;

/// <summary>
/// Where <see cref="AuditTrailInterceptor"/> stores a save's domain events when a durable bus runs in this process:
/// inside the save's own transaction, so they commit or roll back with the change, and are delivered only after the
/// commit (ADR 0021). Without it, or while it is not accepting (the bus not started: the command-line verbs, the crash
/// harness, tests without the bus), events go to <see cref="IDomainEventPublisher"/> after the commit as before.
/// </summary>
public interface IDomainEventOutbox
{
    /// <summary>True while the bus runs and delivers what is stored.</summary>
    bool IsAccepting { get; }

    /// <summary>Writes one save's events, with the operation that caused them, in the context's current transaction.</summary>
    Task<IStoredDomainEvents> StoreAsync(DbContext db, IReadOnlyList<IDomainEvent> events, OperationContext context, CancellationToken cancellationToken);
}

/// <summary>Events written to the outbox in a transaction: handed to the bus once that transaction has committed.</summary>
public interface IStoredDomainEvents
{
    Task DeliverAsync();
}

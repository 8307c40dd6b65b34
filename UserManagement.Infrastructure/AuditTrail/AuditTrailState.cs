using Microsoft.EntityFrameworkCore.Storage;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;

namespace UserManagement.Infrastructure.AuditTrail;

/// <summary>What one context recorded between a save and the commit of its transaction.</summary>
internal sealed class AuditTrailState
{
    /// <summary>Events raised through <c>Raise</c> for changes made outside the change tracker, waiting for the next save.</summary>
    public List<RaisedEvent> Raised { get; } = [];

    /// <summary>The save in progress.</summary>
    public SaveBatch? Saving { get; set; }

    /// <summary>Saves made inside a transaction that has not committed yet.</summary>
    public List<SaveBatch> Uncommitted { get; } = [];

    /// <summary>The transaction begun for a save outside one, to hold its events in the outbox; committed right after it.</summary>
    public IDbContextTransaction? OwnTransaction { get; set; }

    public void Reset()
    {
        Raised.Clear();
        Saving = null;
        Uncommitted.Clear();
        OwnTransaction = null;
    }
}

/// <summary>One save's events and entries: the first <c>Events.Count</c> entries are those of the events, in order.</summary>
internal sealed record SaveBatch(
    IReadOnlyList<EventSourceEntity> Sources, IReadOnlyList<IDomainEvent> Events, IReadOnlyList<AuditEntry> Entries, OperationContext Context)
{
    /// <summary>Its events go through the bus's outbox (ADR 0021).</summary>
    public bool ThroughOutbox { get; set; }

    /// <summary>Its events as written to the outbox in the transaction; delivered at the commit.</summary>
    public IStoredDomainEvents? Stored { get; set; }
}

using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using Entries = UserManagement.Application.Audit.AuditTrail;

namespace UserManagement.Infrastructure.AuditTrail;

/// <summary>
/// A save's audit entries: its domain events (of the tracked entities, and those passed to <c>Raise</c>), in the order
/// they happened, and the security events raised, become entries added to the same save, so to the same transaction.
/// The recorder keeps the save's batch in <see cref="AuditTrailState"/> until its transaction commits.
/// </summary>
internal static class SaveRecorder
{
    /// <summary>Before a save: adds its entries and marks it as the save in progress (none when it raised nothing).</summary>
    public static void Record(AppDbContext db)
    {
        var sources = db.ChangeTracker.Entries<EventSourceEntity>()
            .Select(e => e.Entity)
            .Where(e => e.RaisedEvents.Count > 0)
            .ToList();
        var raised = sources.SelectMany(s => s.RaisedEvents)
            .Concat(db.AuditState.Raised)
            .OrderBy(r => r.Sequence)
            .Select(r => r.Event)
            .ToList();

        // Security events are recorded, not published: their handlers log them, and nothing reacts to them.
        var events = raised.Where(e => e is not SecurityEvent).ToList();
        var securityEvents = raised.OfType<SecurityEvent>().ToList();
        if (events.Count == 0 && securityEvents.Count == 0)
        {
            db.AuditState.Saving = null;
            return;
        }

        var operation = OperationContext.Current;
        var entries = Entries.EntriesFor(events, securityEvents, operation);
        db.AuditEntries.AddRange(entries);
        db.AuditState.Saving = new SaveBatch(sources, events, entries, operation);
    }

    /// <summary>
    /// After a save: clears what it recorded. Returns it when it is committed already (no open transaction);
    /// otherwise it waits in <see cref="AuditTrailState.Uncommitted"/> for the commit, and the result is null.
    /// </summary>
    public static SaveBatch? Saved(AppDbContext db)
    {
        if (db.AuditState.Saving is not { } batch)
        {
            return null;
        }

        db.AuditState.Saving = null;
        db.AuditState.Raised.Clear();
        foreach (var source in batch.Sources)
        {
            source.ClearDomainEvents();
        }

        if (db.Database.CurrentTransaction is null)
        {
            return batch;
        }

        db.AuditState.Uncommitted.Add(batch);
        return null;
    }

    /// <summary>A failed save writes nothing: its entries leave the change tracker, its events stay raised.</summary>
    public static void TakeBack(AppDbContext db)
    {
        if (db.AuditState.Saving is not { } batch)
        {
            return;
        }

        db.AuditState.Saving = null;
        foreach (var entry in batch.Entries)
        {
            db.Entry(entry).State = EntityState.Detached;
        }
    }

    /// <summary>At a commit: the saves that waited for it, oldest first, taken out of the state.</summary>
    public static List<SaveBatch> Committed(AppDbContext db)
    {
        var batches = db.AuditState.Uncommitted.ToList();
        db.AuditState.Uncommitted.Clear();
        return batches;
    }

    /// <summary>At a rollback, a failed commit or a new transaction: what waited for a commit is dropped, never published.</summary>
    public static void Forget(AppDbContext db) => db.AuditState.Uncommitted.Clear();
}

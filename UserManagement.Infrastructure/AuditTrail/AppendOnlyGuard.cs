using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Audit;

namespace UserManagement.Infrastructure.AuditTrail;

/// <summary>
/// Audit entries are written once and never changed: a save that would change or delete one is refused before it
/// reaches the database. The database refuses it too (the triggers of <c>SqliteAuditTrailSql</c> and
/// <c>PostgreSqlAuditTrailSql</c>, with the messages below), for anything that goes around EF.
/// </summary>
internal static class AppendOnlyGuard
{
    /// <summary>What the database's trigger says to an UPDATE of an entry.</summary>
    public const string UpdateRefused = "Audit entries are append-only: they cannot be changed.";

    /// <summary>What the database's trigger says to a DELETE (or TRUNCATE) other than retention pruning.</summary>
    public const string DeleteRefused = "Audit entries are append-only: only retention pruning removes them.";

    public static void Check(AppDbContext db)
    {
        if (db.ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit entries are append-only: they cannot be changed or deleted.");
        }
    }
}

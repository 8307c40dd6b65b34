using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Audit;

namespace UserManagement.Infrastructure.AuditTrail;

/// <summary>
/// Audit entries are written once and never changed: a save that would change or delete one is refused before it
/// reaches the database. The database refuses it too (<c>SqliteAuditTrailSql</c>'s triggers), for anything that goes around EF.
/// </summary>
internal static class AppendOnlyGuard
{
    public static void Check(AppDbContext db)
    {
        if (db.ChangeTracker.Entries<AuditEntry>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit entries are append-only: they cannot be changed or deleted.");
        }
    }
}

using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Audit;

/// <summary>
/// The one way entries leave the trail: when a retention is configured (<c>Audit:RetentionDays</c>; none by
/// default, so the trail is kept forever), entries older than that are removed, and the removal is itself
/// recorded, as "system", in the same transaction. Not a message: only the host's maintenance runs it.
/// </summary>
public sealed class AuditRetention(IAppDbContextFactory dbFactory, TimeProvider clock)
{
    /// <summary>Removes the entries older than <paramref name="retentionDays"/> days; returns how many. Null keeps all.</summary>
    public async Task<int> PruneAsync(int? retentionDays, CancellationToken cancellationToken = default)
    {
        if (retentionDays is not { } days)
        {
            return 0;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1, nameof(retentionDays));
        using var operation = OperationContext.Begin(OperationContext.System());
        var now = clock.GetUtcNow().UtcDateTime;
        var before = now - TimeSpan.FromDays(days);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await db.RemoveAuditEntriesBeforeAsync(before, cancellationToken);
        if (removed == 0)
        {
            return 0;
        }

        db.Raise(new AuditTrailPruned(removed, before, days, now));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }
}

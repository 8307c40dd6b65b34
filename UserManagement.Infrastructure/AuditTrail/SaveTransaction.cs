namespace UserManagement.Infrastructure.AuditTrail;

/// <summary>
/// The transaction the audit trail begins itself: a save outside a transaction whose events go to the bus's outbox
/// needs one to hold the change and the outbox row together. It is committed right after the save (publishing through
/// <see cref="TransactionInterceptor"/> like any other commit), or rolled back when the save fails.
/// </summary>
internal static class SaveTransaction
{
    /// <summary>Marks the save in progress as going through the outbox when it does, and begins the transaction it needs.</summary>
    public static async Task BeginIfNeededAsync(AppDbContext db, IDomainEventOutbox? outbox, CancellationToken cancellationToken)
    {
        if (db.AuditState.Saving is not { Events.Count: > 0 } batch || outbox is not { IsAccepting: true })
        {
            return;
        }

        batch.ThroughOutbox = true;
        if (db.Database.CurrentTransaction is null)
        {
            db.AuditState.OwnTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
        }
    }

    /// <summary>Commits or rolls back the transaction begun for a save, if there is one.</summary>
    public static async Task EndAsync(AppDbContext db, bool commit, CancellationToken cancellationToken)
    {
        if (db.AuditState.OwnTransaction is not { } transaction)
        {
            return;
        }

        db.AuditState.OwnTransaction = null;
        await using (transaction)
        {
            if (commit)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            else
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
    }
}

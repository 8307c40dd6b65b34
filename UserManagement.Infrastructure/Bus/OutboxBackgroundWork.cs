using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using Wolverine.EntityFrameworkCore;

namespace UserManagement.Infrastructure.Bus;

/// <summary>
/// Wolverine's EF Core outbox: the message is written to the outbox table through the context's own connection,
/// in the transaction that saves the context's changes, and handed to the queue only after the commit.
/// </summary>
internal sealed class OutboxBackgroundWork(IDbContextOutbox outbox) : IBackgroundWork
{
    public async Task SaveChangesAndEnqueueAsync(IAppDbContext db, IBackgroundMessage message, CancellationToken cancellationToken)
    {
        outbox.Enroll((DbContext)db);
        await outbox.PublishAsync(message);
        await outbox.SaveChangesAndFlushMessagesAsync(cancellationToken);
    }
}

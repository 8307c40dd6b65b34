using Microsoft.Extensions.Logging;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;

namespace UserManagement.Infrastructure.AuditTrail;

/// <summary>
/// What happens once a save's transaction has committed: its entries recorded from domain events are logged
/// (<see cref="AuditLog"/>: each one, or for bulk work a summary), the events stored in the outbox are handed to the
/// bus, and the others go to <see cref="IDomainEventPublisher"/>, in order. A failure here is logged: the change is
/// committed and stays so.
/// </summary>
internal sealed partial class CommittedEvents(IDomainEventPublisher publisher, ILogger<CommittedEvents> logger)
{
    public async Task PublishAsync(IReadOnlyList<SaveBatch> batches, CancellationToken cancellationToken)
    {
        AuditLog.WriteAll(logger, [.. batches.SelectMany(b => b.Entries.Take(b.Events.Count))]);

        foreach (var batch in batches.Where(b => b.Stored is not null))
        {
            try
            {
                await batch.Stored!.DeliverAsync();
            }
            catch (Exception e)
            {
                // Stored and committed: the bus takes it up again at the next start.
                LogPublishFailed(e, batch.Events.Count, batch.Context.CorrelationId);
            }
        }

        var committed = batches.Where(b => b.Stored is null)
            .SelectMany(b => b.Events.Select(e => new CommittedEvent(e, b.Context))).ToList();
        if (committed.Count == 0)
        {
            return;
        }

        try
        {
            await publisher.PublishAsync(committed, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(e, committed.Count, batches[0].Context.CorrelationId);
        }
    }

    [LoggerMessage(EventId = 1398, Level = LogLevel.Error, Message = "Publishing {Count} committed event(s) of operation {CorrelationId} failed; the change itself is saved")]
    private partial void LogPublishFailed(Exception exception, int count, string correlationId);
}

using Microsoft.Extensions.Options;
using UserManagement.Application.Audit;

namespace UserManagement.Web.Audit;

/// <summary>
/// Applies the configured retention (<c>Audit:RetentionDays</c>) at start-up and then once a day. Without a
/// retention it does nothing at all.
/// </summary>
public sealed partial class AuditRetentionService(
    AuditRetention retention, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditRetentionService> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await retention.PruneAsync(options.Value.RetentionDays, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPruningFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 1396, Level = LogLevel.Error, Message = "Pruning the audit trail failed; it is tried again in a day")]
    private partial void LogPruningFailed(Exception exception);
}

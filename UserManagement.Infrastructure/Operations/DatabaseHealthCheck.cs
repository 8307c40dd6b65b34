using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UserManagement.Infrastructure.Operations;

/// <summary>The tags that put a health check into an endpoint's report.</summary>
public static class HealthTags
{
    /// <summary>
    /// Checks that must pass before the app takes traffic (<c>/health/ready</c>). Anything the app needs to do
    /// its work registers here: <c>services.AddHealthChecks().AddCheck&lt;T&gt;("name", tags: [HealthTags.Ready])</c>.
    /// </summary>
    public const string Ready = "ready";
}

/// <summary>
/// Ready means the database answers, has every migration applied, and takes writes: the check takes the write
/// lock and creates a table inside a transaction it rolls back, so a read-only file, a full disk quota
/// (max_page_count) or a lock held past the busy timeout all fail it, and nothing is ever written.
/// Its description names the cause for the server's log; the endpoint shows only the status.
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<AppDbContext> contextFactory) : IHealthCheck
{
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied: {string.Join(", ", pending)}");
            }

            await using var probe = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("CREATE TABLE \"__HealthProbe\" (\"Id\" INTEGER)", cancellationToken);
            await probe.RollbackAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database cannot be read or written.", e);
        }
    }
}

public static class HealthCheckRegistration
{
    /// <summary>The database check, in the readiness report, given 10 s before it counts as failed.</summary>
    public static IHealthChecksBuilder AddDatabaseHealthCheck(this IHealthChecksBuilder builder) =>
        builder.AddCheck<DatabaseHealthCheck>(
            DatabaseHealthCheck.Name, HealthStatus.Unhealthy, [HealthTags.Ready], TimeSpan.FromSeconds(10));
}

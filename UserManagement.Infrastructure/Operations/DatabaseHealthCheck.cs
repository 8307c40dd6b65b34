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

/// <summary>What keeps the provider's database from taking writes, found out by reading only; null when nothing does.</summary>
public interface IDatabaseWritability
{
    Task<string?> WhyNotWritableAsync(AppDbContext db, CancellationToken cancellationToken);
}

/// <summary>
/// Ready means the database answers, has every migration applied, and can take writes, found out by reading only
/// (the provider's <see cref="IDatabaseWritability"/>: on SQLite the file is open for writing and may still grow).
/// It never takes the write lock: an anonymous probe must not queue behind, nor hold up, the administrators' saves
/// (finding 11 of the third outside test; ADR 0026). A lock held by a long write is contention, not unreadiness: the commands say "busy" themselves.
/// Its description names the cause for the server's log; the endpoint shows only the status.
/// </summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<AppDbContext> contextFactory, IDatabaseWritability writability) : IHealthCheck
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

            return await writability.WhyNotWritableAsync(db, cancellationToken) is { } reason
                ? HealthCheckResult.Unhealthy(reason)
                : HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database cannot be read.", e);
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

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SQLitePCL;

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
/// Ready means the database answers, has every migration applied, and can take writes, found out by reading only:
/// the file is open for writing (a read-only file or volume opens read-only) and it may still grow (a size limit,
/// <c>max_page_count</c>, reached with no free page left fails it). It never takes the write lock: an anonymous
/// probe must not queue behind, nor hold up, the administrators' saves (finding 11 of the third outside test; ADR
/// 0026). A lock held by a long write is contention, not unreadiness: the commands say "busy" themselves.
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

            await db.Database.OpenConnectionAsync(cancellationToken);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            if (raw.sqlite3_db_readonly(connection.Handle, "main") != 0)
            {
                return HealthCheckResult.Unhealthy("The database file is open read-only: nobody can save.");
            }

            var pages = await ScalarAsync(connection, "PRAGMA page_count", cancellationToken);
            var maxPages = await ScalarAsync(connection, "PRAGMA max_page_count", cancellationToken);
            var freePages = await ScalarAsync(connection, "PRAGMA freelist_count", cancellationToken);
            return pages >= maxPages && freePages == 0
                ? HealthCheckResult.Unhealthy($"The database is full: {pages} pages of at most {maxPages}, none free.")
                : HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database cannot be read.", e);
        }
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string pragma, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public static class HealthCheckRegistration
{
    /// <summary>The database check, in the readiness report, given 10 s before it counts as failed.</summary>
    public static IHealthChecksBuilder AddDatabaseHealthCheck(this IHealthChecksBuilder builder) =>
        builder.AddCheck<DatabaseHealthCheck>(
            DatabaseHealthCheck.Name, HealthStatus.Unhealthy, [HealthTags.Ready], TimeSpan.FromSeconds(10));
}

using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace UserManagement.Infrastructure;

/// <summary>
/// Opens the database for this process and brings it to the latest migration; the app runs it once at start-up.
/// What the provider needs before and after the migrations is its <see cref="IDatabaseStartup"/>'s.
/// </summary>
public sealed partial class DatabaseMigrator(
    IDbContextFactory<AppDbContext> contextFactory, IDatabaseStartup startup, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await startup.BeforeMigrationsAsync(db, cancellationToken);

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplying(pending.Count, string.Join(", ", pending));
            var started = Stopwatch.GetTimestamp();
            await db.Database.MigrateAsync(cancellationToken);
            LogApplied(pending.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        // Nothing pending (every start but the first after an upgrade): no migration lock, no write transaction.
        await startup.AfterMigrationsAsync(db, cancellationToken);
        LogReady(db.Database.GetDbConnection().DataSource);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private partial void LogApplying(int count, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s) in {Seconds:0.0} s")]
    private partial void LogApplied(int count, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready at {DataSource}")]
    private partial void LogReady(string dataSource);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure;

/// <summary>Brings the database to the latest migration; the app runs it once at start-up.</summary>
public sealed partial class DatabaseMigrator(
    IDbContextFactory<AppDbContext> contextFactory, UserListReadModel userList, ILogger<DatabaseMigrator> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplying(pending.Count, string.Join(", ", pending));
        }

        await db.Database.MigrateAsync(cancellationToken);
        await userList.EnsureAsync(db, cancellationToken);
        LogReady(db.Database.GetDbConnection().DataSource);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private partial void LogApplying(int count, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready at {DataSource}")]
    private partial void LogReady(string dataSource);
}

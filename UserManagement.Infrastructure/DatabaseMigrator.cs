using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Infrastructure.Sqlite;
using UserManagement.Infrastructure.Sqlite.Users;

namespace UserManagement.Infrastructure;

/// <summary>
/// Opens the database for this process and brings it to the latest migration; the app runs it once at start-up,
/// then makes sure the users list's read model is whole (<see cref="SqliteUserListReadModel.EnsureAsync"/>).
/// It takes the shared <see cref="DatabaseFileLock"/> (held until the process ends) and creates the file when
/// there is none yet: connections after that never create one (see <see cref="DependencyInjection"/>).
/// </summary>
public sealed partial class DatabaseMigrator(
    IDbContextFactory<AppDbContext> contextFactory, SqliteUserListReadModel userList, ILogger<DatabaseMigrator> logger)
    : IDisposable
{
    private DatabaseFileLock? _lock;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var connectionString = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (DependencyInjection.IsFile(connectionString))
        {
            _lock ??= DatabaseFileLock.AcquireShared(connectionString.DataSource);
            CreateFileIfMissing(connectionString);
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogApplying(pending.Count, string.Join(", ", pending));
            var started = Stopwatch.GetTimestamp();
            await db.Database.MigrateAsync(cancellationToken);
            LogApplied(pending.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        // Nothing pending (every start but the first after an upgrade): no migration lock, no write transaction.
        await userList.EnsureAsync(db, cancellationToken);
        LogReady(db.Database.GetDbConnection().DataSource);
    }

    public void Dispose() => _lock?.Dispose();

    private static void CreateFileIfMissing(SqliteConnectionStringBuilder connectionString)
    {
        if (File.Exists(connectionString.DataSource))
        {
            return;
        }

        using var create = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString.ToString())
        {
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        create.Open();

        // A new file in WAL mode from its first byte: later connections (read-only ones too) then find it set.
        using var wal = create.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL";
        wal.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} migration(s): {Migrations}")]
    private partial void LogApplying(int count, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} migration(s) in {Seconds:0.0} s")]
    private partial void LogApplied(int count, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready at {DataSource}")]
    private partial void LogReady(string dataSource);
}

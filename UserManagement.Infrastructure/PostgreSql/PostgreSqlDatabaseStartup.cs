using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// PostgreSQL's part of <see cref="DatabaseMigrator"/>: the server keeps the database, so there is no file to create or
/// to lock; but the server may not be up yet (the app and its database started together, a restart, a failover in
/// progress). Before the migrations it waits for the server, up to <c>Database:StartupTimeout</c>, saying on each
/// attempt why and when it tries again; what waiting cannot fix (a wrong password, a database that does not exist) ends
/// the start at once, with the server's reason.
/// Then, on a first start, it creates the empty migrations history table, as the migrations would a moment later: EF
/// Core's PostgreSQL provider learns which migrations ran by reading that table and catching "no such table", and logs
/// that expected failure as an error, twice, which an operator must not see on a normal first start.
/// </summary>
public sealed partial class PostgreSqlDatabaseStartup(
    NpgsqlDataSource dataSource, DatabaseOptions options, TimeProvider clock, ILogger<PostgreSqlDatabaseStartup> logger) : IDatabaseStartup
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(10);

    public async Task BeforeMigrationsAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await WaitForServerAsync(cancellationToken);

        // Read first: on a read-only standby even CREATE TABLE IF NOT EXISTS is refused.
        var missing = await db.Database
            .SqlQueryRaw<bool>($"""SELECT to_regclass('"{HistoryRepository.DefaultTableName}"') IS NULL AS "Value" """)
            .SingleAsync(cancellationToken);
        if (missing)
        {
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }
    }

    public Task AfterMigrationsAsync(AppDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WaitForServerAsync(CancellationToken cancellationToken)
    {
        var giveUpAt = clock.GetUtcNow() + options.StartupTimeout;
        var retry = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                if (attempt > 1)
                {
                    LogReachable(Server, attempt);
                }

                return;
            }
            catch (NpgsqlException e) when (e.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                if (clock.GetUtcNow() >= giveUpAt)
                {
                    throw new InvalidOperationException(
                        $"PostgreSQL at {Server} did not answer within {options.StartupTimeout} (Database:StartupTimeout): {Reason(e)}", e);
                }

                LogWaiting(Server, Reason(e), attempt, retry.TotalSeconds);
                await Task.Delay(retry, clock, cancellationToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }

    private string Server
    {
        get
        {
            var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            return $"{settings.Host}:{settings.Port}/{settings.Database}";
        }
    }

    // The innermost message says what happened (connection refused, the server starting up); Npgsql's own wraps it.
    private static string Reason(Exception e) => e.InnerException is { } inner ? Reason(inner) : e.Message;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL at {Server} is not reachable yet ({Reason}); attempt {Attempt}, next in {Seconds:0.#} s")]
    private partial void LogWaiting(string server, string reason, int attempt, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL at {Server} answered at attempt {Attempt}")]
    private partial void LogReachable(string server, int attempt);
}

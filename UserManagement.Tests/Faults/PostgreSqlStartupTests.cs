using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.PostgreSql;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.Faults;

/// <summary>
/// A start while PostgreSQL is away (the app and its server started together, a restart, a failover), on a server of
/// the test's own that it stops and starts: the start waits, says why, and migrates when the server answers.
/// </summary>
public sealed class PostgreSqlStartupTests : IAsyncLifetime
{
    private const string Database = "app";
    private ThrowawayPostgreSql? _server;
    private readonly TempFolder _folder = new();

    private ThrowawayPostgreSql Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await ThrowawayPostgreSql.StartOwnAsync();
        await using var connection = new NpgsqlConnection(Server.MaintenanceConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var create = new NpgsqlCommand($"""CREATE DATABASE "{Database}" """, connection);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Should_wait_for_the_server_and_migrate_when_it_answers_after_the_start_began()
    {
        await Server.PauseAsync();
        var logs = new LogCapture();
        await using var services = Services(logs, TimeProvider.System, Database);

        var migrating = services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        await Condition.WaitUntilAsync(() => migrating.IsCompleted || logs.Lines.Any(l => l.Contains("is not reachable yet", StringComparison.Ordinal)),
            TimeSpan.FromMinutes(2), "the start to say that it waits for PostgreSQL");
        migrating.IsCompleted.ShouldBeFalse(migrating.Exception?.ToString());
        await Server.ResumeAsync();
        await migrating.WaitAsync(TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken);

        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        (await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ShouldNotBeEmpty();
        logs.Lines.ShouldContain(l => l.Contains("answered at attempt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_give_up_with_the_reason_and_the_setting_when_the_server_stays_away_past_the_startup_timeout()
    {
        await Server.PauseAsync();
        var logs = new LogCapture();
        var clock = new FakeTimeProvider(TestApp.Start);
        await using var services = Services(logs, clock, Database, startupTimeout: "00:00:30");

        var migrating = services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        // Each poll moves the app's clock on by a second, so the waits between attempts end and the 30 s run out.
        await Condition.WaitUntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            return migrating.IsCompleted;
        }, TimeSpan.FromMinutes(2), "the start to give up");

        var error = await Should.ThrowAsync<InvalidOperationException>(migrating);
        error.Message.ShouldContain("did not answer within 00:00:30 (Database:StartupTimeout)");
        error.Message.ShouldContain("127.0.0.1");
        logs.Lines.Count(l => l.Contains("is not reachable yet", StringComparison.Ordinal)).ShouldBeGreaterThan(1);
    }

    private ServiceProvider Services(LogCapture logs, TimeProvider clock, string database, string? startupTimeout = null)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(Server.MaintenanceConnectionString) { Database = database, Pooling = false };
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.PostgreSQL),
            ["ConnectionStrings:Default"] = connectionString.ConnectionString,
        };
        if (startupTimeout is not null)
        {
            settings["Database:StartupTimeout"] = startupTimeout;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddSingleton(clock)
            .AddInfrastructure(configuration, _folder.Path);
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }

        _folder.Dispose();
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.PostgreSql;

/// <summary>
/// A normal first start on PostgreSQL logs no error: EF Core's provider probes the migrations history table and
/// catches "no such table", and would log that expected failure as an error (<c>PostgreSqlDatabaseStartup</c>).
/// </summary>
public sealed class FirstStartTests(PostgreSqlServer server)
{
    private static readonly PostgreSqlTemplate Empty = new("empty", (_, _) => Task.CompletedTask);

    [Fact]
    public async Task Should_migrate_an_empty_database_and_log_no_error_when_the_app_first_starts()
    {
        await using var database = await server.CreateDatabaseAsync(Empty);

        var logs = await MigrateAsync(database.ConnectionString);

        logs.Records.Where(r => r.Level >= LogLevel.Warning).ShouldBeEmpty(string.Join('\n', logs.Lines));
        logs.Lines.ShouldContain(line => line.Contains("Applied", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_log_no_error_when_the_app_starts_again_on_its_migrated_database()
    {
        await using var database = await server.CreateDatabaseAsync(Empty);
        await MigrateAsync(database.ConnectionString);

        var logs = await MigrateAsync(database.ConnectionString);

        logs.Records.Where(r => r.Level >= LogLevel.Warning).ShouldBeEmpty(string.Join('\n', logs.Lines));
        logs.Lines.ShouldNotContain(line => line.Contains("Applying", StringComparison.Ordinal));
    }

    /// <summary>The app's start on <paramref name="connectionString"/> as far as its database goes: everything it logged.</summary>
    private static async Task<LogCapture> MigrateAsync(string connectionString)
    {
        using var folder = new TempFolder("pg-first-start");
        var logs = new LogCapture();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"] = nameof(DatabaseProvider.PostgreSQL),
            ["ConnectionStrings:Default"] = connectionString,
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddInfrastructure(configuration, folder.Path);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        return logs;
    }
}

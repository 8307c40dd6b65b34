using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Infrastructure;
using UserManagement.Web;
using Wolverine.Persistence.Durability;

namespace UserManagement.Tests.Support.Databases;

/// <summary>
/// Databases that hold the app's schema, for one test each. On PostgreSQL the run's template is migrated once by the
/// app's own <see cref="DatabaseMigrator"/> and the bus's own storage migration, exactly as a first start does, and
/// every test gets a clone of it; a SQLite file is migrated by the app that opens it, as today.
/// </summary>
public static class AppDatabases
{
    /// <summary>The app's schema and the bus's (schema <c>wolverine</c>) on PostgreSQL.</summary>
    public static readonly PostgreSqlTemplate PostgreSqlApp = new("app", PrepareAsync);

    /// <summary>A fresh, migrated database of the calling test's own on the run's PostgreSQL server.</summary>
    public static async Task<TestDatabase> PostgreSqlAsync()
    {
        var server = (PostgreSqlServer)(await TestContext.Current.GetFixture(typeof(PostgreSqlServer)))!;
        return await server.CreateDatabaseAsync(PostgreSqlApp);
    }

    /// <summary>A database of the calling test's own on <paramref name="provider"/>; a SQLite file lives in <paramref name="folder"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, string folder) => provider switch
    {
        DatabaseProvider.PostgreSQL => await PostgreSqlAsync(),
        _ => new SqliteTestDatabase(folder),
    };

    private static async Task PrepareAsync(string connectionString, CancellationToken cancellationToken)
    {
        using var folder = new TempFolder("pg-template");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"] = nameof(DatabaseProvider.PostgreSQL),
            ["ConnectionStrings:Default"] = connectionString,
            ["Security:KeysDirectory"] = "keys",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddUserManagement(configuration, folder.Path);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await provider.GetRequiredService<IMessageStore>().Admin.MigrateAsync();
    }
}

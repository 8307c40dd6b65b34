using Microsoft.EntityFrameworkCore;
using UserManagement.Infrastructure.PostgreSql;

namespace UserManagement.Tests.Support.Databases;

/// <summary>The app's PostgreSQL test databases hold what a first start of the app would have made, before any app opens them.</summary>
public sealed class AppDatabasesTests
{
    [Fact]
    public async Task Should_hold_every_postgresql_migration_when_a_test_gets_its_database()
    {
        await using var database = await AppDatabases.PostgreSqlAsync();

        var applied = await ListAsync(database, """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """);

        using var design = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        applied.ShouldBe(design.Database.GetMigrations().ToList());
    }

    [Fact]
    public async Task Should_hold_the_bus_tables_in_their_own_schema_when_a_test_gets_its_database()
    {
        await using var database = await AppDatabases.PostgreSqlAsync();

        var tables = await ListAsync(database, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'wolverine' ORDER BY 1");

        tables.ShouldContain("wolverine_incoming_envelopes");
        tables.ShouldContain("wolverine_outgoing_envelopes");
        tables.ShouldContain("wolverine_dead_letters");
    }

    [Fact]
    public async Task Should_take_users_written_with_plain_sql_when_the_database_is_postgresql()
    {
        await using var database = await AppDatabases.PostgreSqlAsync();

        await UserRows.InsertAsync(database, [new("Ada Lovelace", "ada@engine.example"), new("Grace Hopper", "grace@navy.example", LastSignInAt: TestApp.Start.UtcDateTime)], TestApp.Start.UtcDateTime);

        (await ListAsync(database, """SELECT "NormalizedEmail" FROM "Users" ORDER BY 1""")).ShouldBe(["ADA@ENGINE.EXAMPLE", "GRACE@NAVY.EXAMPLE"]);
    }

    private static async Task<List<string>> ListAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = TestDatabase.Command(connection, sql);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite;
using UserManagement.Infrastructure.Sqlite.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Persistence;

public sealed class DatabaseTests
{
    private static async Task<T> Scalar<T>(AppDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return (T)Convert.ChangeType(value!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Should_set_wal_full_sync_busy_timeout_and_foreign_keys_on_every_connection()
    {
        await using var app = await TestApp.StartAsync();

        // Two contexts from the pool, each on a connection of its own: each must carry the settings.
        for (var i = 0; i < 2; i++)
        {
            await using var db = await app.OpenDbAsync();
            (await Scalar<string>(db, "PRAGMA journal_mode")).ShouldBe("wal");
            (await Scalar<long>(db, "PRAGMA synchronous")).ShouldBe(SqliteConnectionSettings.SynchronousFull);
            (await Scalar<long>(db, "PRAGMA busy_timeout")).ShouldBe(SqliteConnectionSettings.BusyTimeoutMilliseconds);
            (await Scalar<long>(db, "PRAGMA foreign_keys")).ShouldBe(1);
            (await Scalar<long>(db, "PRAGMA mmap_size")).ShouldBe(SqliteConnectionSettings.MemoryMapBytes);
        }
    }

    [Fact]
    public async Task Should_not_leave_the_settings_to_the_connection_defaults()
    {
        // A bare connection starts without a busy timeout: the interceptor is what sets it.
        await using var app = await TestApp.StartAsync();
        await using var bare = new SqliteConnection(new SqliteConnectionStringBuilder(app.ConnectionString) { Pooling = false }.ToString());
        await bare.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = bare.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        ((long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).ShouldBe(0);
    }

    [Fact]
    public async Task Should_apply_the_migrations_to_an_empty_database_and_have_no_pending_model_changes()
    {
        await using var app = await TestApp.StartAsync();
        await using var db = await app.OpenDbAsync();

        (await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken))
            .ShouldBe(db.Database.GetMigrations());
        db.Database.HasPendingModelChanges().ShouldBeFalse("the model changed without a migration: run dotnet ef migrations add");
        (await Scalar<long>(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'IX_Users_NormalizedEmail' AND sql LIKE 'CREATE UNIQUE INDEX%'"))
            .ShouldBe(1);
    }

    [Fact]
    public async Task Should_migrate_again_without_changes_when_the_database_is_current()
    {
        await using var app = await TestApp.StartAsync();
        await app.CreateUser("Ada");
        var migrator = ActivatorUtilities.CreateInstance<DatabaseMigrator>(app.Services);

        await migrator.MigrateAsync(TestContext.Current.CancellationToken);

        (await app.StoredUsersAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public void Should_resolve_a_relative_data_file_against_the_base_directory_and_create_its_folder()
    {
        using var root = new TempFolder();

        var resolved = new SqliteConnectionStringBuilder(
            SqliteConnectionString.Resolve(null, root.Path));

        resolved.DataSource.ShouldBe(root.File(Path.Combine("data", "usermanagement.db")));
        Directory.Exists(root.File("data")).ShouldBeTrue();
    }

    [Fact]
    public void Should_keep_an_absolute_path_and_leave_in_memory_databases_alone()
    {
        using var folder = new TempFolder();
        var absolute = folder.File("x.db");

        new SqliteConnectionStringBuilder(SqliteConnectionString.Resolve($"Data Source={absolute}", "/elsewhere"))
            .DataSource.ShouldBe(absolute);
        SqliteConnectionString.Resolve("Data Source=:memory:", "/elsewhere")
            .ShouldBe("Data Source=:memory:");
    }
}

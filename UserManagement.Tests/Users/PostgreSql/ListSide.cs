using System.Data.Common;
using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;
using UserManagement.Web;
using Wolverine.Persistence.Durability;

namespace UserManagement.Tests.Users.PostgreSql;

/// <summary>
/// The app's real services (<c>AddUserManagement</c>, so <c>AddInfrastructure</c> and its provider registration) on a
/// database of one test's own, migrated by the app's <see cref="DatabaseMigrator"/>: a SQLite file, or a clone of
/// <see cref="Template"/> on the run's PostgreSQL server. Lists are read through the real ListUsers query; users are
/// written behind the app's back with plain SQL (<see cref="InsertAsync"/>), with the ids the test gives, so that two
/// sides can hold exactly the same rows.
/// </summary>
public sealed class ListSide : IAsyncDisposable
{
    /// <summary>A PostgreSQL database migrated by the app's own migrator (its read model built at start-up, as on a first start).</summary>
    public static readonly PostgreSqlTemplate Template = new("list_read_side", async (connectionString, cancellationToken) =>
    {
        await using var side = await StartAsync(DatabaseProvider.PostgreSQL, connectionString, new TempFolder("pg-list-template"), null);
        // The bus's tables too, as at a first start: a save's outbox rows go there.
        await side.Get<IMessageStore>().Admin.MigrateAsync();
    });

    private readonly ServiceProvider _services;
    private readonly TempFolder _folder;
    private readonly PostgreSqlTestDatabase? _database;

    private ListSide(ServiceProvider services, DatabaseProvider provider, string connectionString, TempFolder folder, PostgreSqlTestDatabase? database, LogCapture logs)
    {
        _services = services;
        Provider = provider;
        ConnectionString = connectionString;
        _folder = folder;
        _database = database;
        Logs = logs;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<ListSide> SqliteAsync()
    {
        var folder = new TempFolder("list-side");
        return await StartAsync(DatabaseProvider.Sqlite, SqliteConnectionString.Resolve("Data Source=list.db", folder.Path), folder, null);
    }

    public static async Task<ListSide> PostgreSqlAsync(PostgreSqlServer server)
    {
        var database = await server.CreateDatabaseAsync(Template);
        return await StartAsync(DatabaseProvider.PostgreSQL, database.ConnectionString, new TempFolder("list-side"), database);
    }

    private static async Task<ListSide> StartAsync(
        DatabaseProvider provider, string connectionString, TempFolder folder, PostgreSqlTestDatabase? database)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"] = provider.ToString(),
            ["ConnectionStrings:Default"] = connectionString,
            ["Security:KeysDirectory"] = "keys",
        }).Build();
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug)
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning));
        services.AddUserManagement(configuration, folder.Path);
        var clock = new FakeTimeProvider(TestApp.Start);
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ICurrentUser>(new TestCurrentUser(clock));
        var built = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var side = new ListSide(built, provider, connectionString, folder, database, logs);
        await side.MigrateAsync();
        return side;
    }

    /// <summary>What the app does at every start: the migrations, then the provider's read-model check.</summary>
    public Task MigrateAsync() => Get<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

    /// <summary>A page through the real ListUsers query (validation, authorisation, handler, reader).</summary>
    public async Task<Page<UserListItem>> ListAsync(ListUsersQuery query)
    {
        await using var scope = _services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query, TestContext.Current.CancellationToken)).ShouldSucceed();
    }

    public async Task<AppDbContext> OpenDbAsync() =>
        await Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);

    public async Task<DbConnection> OpenConnectionAsync()
    {
        DbConnection connection = Provider == DatabaseProvider.PostgreSQL ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> (identifiers quoted, which both databases read) on a connection of its own.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        return await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The rows of <paramref name="sql"/>, each as its values joined by "|" (null as "null"), dates as UTC ticks.</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i) switch
            {
                DateTime date => date.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Guid id => id.ToString().ToUpperInvariant(),
                var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            })));
        }

        return rows;
    }

    /// <summary>Writes <paramref name="users"/> into Users with plain SQL in one transaction, as a script or an import would.</summary>
    public async Task InsertAsync(IEnumerable<ListUser> users)
    {
        await using var connection = await OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO "Users" ("Id", "Name", "NormalizedName", "Email", "NormalizedEmail", "Role", "Status", "CreatedAt", "UpdatedAt",
                "MustChangePassword", "PasswordIsRandom", "FailedSignInCount", "LastSignInAt", "LockedUntil", "MfaLastUsedStep",
                "FailedMfaCount", "SecurityStamp", "Version")
            VALUES (@id, @name, @nameKey, @email, @emailKey, @role, @status, @createdAt, @updatedAt, @no, @no, 0, @lastSignInAt, @lockedUntil, 0, 0, 'stamp', @version)
            """;
        var names = new[] { "id", "name", "nameKey", "email", "emailKey", "role", "status", "createdAt", "updatedAt", "no", "lastSignInAt", "lockedUntil", "version" };
        foreach (var name in names)
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = name;
            insert.Parameters.Add(parameter);
        }

        foreach (var user in users)
        {
            // EF Core keeps a Guid as upper-case text on SQLite and as a uuid on PostgreSQL.
            insert.Parameters["id"].Value = Provider == DatabaseProvider.Sqlite ? user.Id.ToString().ToUpperInvariant() : user.Id;
            insert.Parameters["name"].Value = user.Name;
            insert.Parameters["nameKey"].Value = UserRules.NameKey(user.Name);
            insert.Parameters["email"].Value = user.Email;
            insert.Parameters["emailKey"].Value = UserRules.EmailKey(user.Email);
            insert.Parameters["role"].Value = user.Role.ToString();
            insert.Parameters["status"].Value = user.Status.ToString();
            insert.Parameters["createdAt"].Value = user.CreatedAt;
            insert.Parameters["updatedAt"].Value = user.UpdatedAt ?? user.CreatedAt;
            insert.Parameters["no"].Value = false;
            insert.Parameters["lastSignInAt"].Value = (object?)user.LastSignInAt ?? DBNull.Value;
            insert.Parameters["lockedUntil"].Value = (object?)user.LockedUntil ?? DBNull.Value;
            insert.Parameters["version"].Value = user.Version;
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await transaction.CommitAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _folder.Dispose();
    }
}

/// <summary>A user as <see cref="ListSide.InsertAsync"/> writes it: every value the list shows, the id included. Dates in UTC.</summary>
public sealed record ListUser(
    Guid Id, string Name, string Email, UserRole Role, UserStatus Status, DateTime CreatedAt,
    DateTime? UpdatedAt = null, DateTime? LastSignInAt = null, DateTime? LockedUntil = null, long Version = 1);

using System.Data.Common;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.Users.PostgreSql;

/// <summary>
/// A <see cref="TestApp"/> (the app's real services, its provider's registration included, migrated by its own
/// <see cref="DatabaseMigrator"/>) on a SQLite file or on a clone of <see cref="AppDatabases.PostgreSqlApp"/>, with what
/// the list's provider tests need beside it: lists read through the real ListUsers query, and users written behind the
/// app's back with plain SQL (<see cref="InsertAsync"/>) with the ids the test gives, so that two apps can hold exactly
/// the same rows.
/// </summary>
public sealed class ListSide(TestApp app) : IAsyncDisposable
{
    public TestApp App => app;

    public DatabaseProvider Provider => app.Database.Provider;

    public string ConnectionString => app.ConnectionString;

    public LogCapture Logs => app.Logs;

    public static async Task<ListSide> SqliteAsync() => new(await TestApp.StartAsync());

    public static async Task<ListSide> PostgreSqlAsync(PostgreSqlServer server) =>
        new(await TestApp.StartAsync(database: await server.CreateDatabaseAsync(AppDatabases.PostgreSqlApp)));

    public T Get<T>() where T : notnull => app.Get<T>();

    /// <summary>What the app does at every start: the migrations, then the provider's read-model check.</summary>
    public Task MigrateAsync() => app.Get<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

    /// <summary>A page through the real ListUsers query (validation, authorisation, handler, reader).</summary>
    public async Task<Page<UserListItem>> ListAsync(ListUsersQuery query) => (await app.Send(query)).ShouldSucceed();

    public Task<AppDbContext> OpenDbAsync() => app.OpenDbAsync();

    public Task<DbConnection> OpenConnectionAsync() => app.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);

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
    public Task InsertAsync(IEnumerable<ListUser> users) => UserRows.InsertAsync(
        app.Database,
        users.Select(u => new UserRows.Spec(u.Name, u.Email, u.Role, u.Status, u.CreatedAt, u.LastSignInAt, u.Id, u.UpdatedAt, u.LockedUntil, u.Version)),
        app.Clock.GetUtcNow().UtcDateTime);

    public ValueTask DisposeAsync() => app.DisposeAsync();
}

/// <summary>A user as <see cref="ListSide.InsertAsync"/> writes it: every value the list shows, the id included. Dates in UTC.</summary>
public sealed record ListUser(
    Guid Id, string Name, string Email, UserRole Role, UserStatus Status, DateTime CreatedAt,
    DateTime? UpdatedAt = null, DateTime? LastSignInAt = null, DateTime? LockedUntil = null, long Version = 1);

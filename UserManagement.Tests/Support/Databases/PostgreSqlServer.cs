using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Npgsql;
using UserManagement.Tests.Support.Databases;

[assembly: AssemblyFixture(typeof(PostgreSqlServer))]

namespace UserManagement.Tests.Support.Databases;

/// <summary>
/// The test run's one PostgreSQL server (an xunit assembly fixture): nothing happens until a test first asks for a
/// database, so a run without PostgreSQL tests starts no server. Then it starts a throwaway server from the installed
/// binaries, or uses the one <see cref="PostgreSqlSource.ConnectionStringVariable"/> names; with neither, the test is
/// skipped with what to install, or fails in CI. Each test gets a fresh database cloned from a template that is
/// prepared once per run (<see cref="CreateDatabaseAsync"/>), as each SQLite test gets a fresh file. Reach it from a
/// test class, class fixture or collection fixture by a constructor parameter of this type, or with
/// <c>TestContext.Current.GetFixture&lt;PostgreSqlServer&gt;()</c>.
/// </summary>
public sealed partial class PostgreSqlServer : IAsyncDisposable
{
    private readonly PostgreSqlSource _source = PostgreSqlSource.Find(Environment.GetEnvironmentVariable);
    private readonly Lazy<Task<(string ConnectionString, ThrowawayPostgreSql? Throwaway)>> _started;
    private readonly ConcurrentDictionary<string, (PostgreSqlTemplate Definition, Lazy<Task<string>> Database)> _templates = new();
    private readonly CancellationTokenSource _stopping = new();

    // Part of every template's name, so that two test runs sharing one server of their own never share a template.
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    public PostgreSqlServer() => _started = new(StartAsync);

    internal static bool InCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    /// <summary>
    /// The server's maintenance connection string (superuser, database <c>postgres</c>), starting the server on first
    /// use. Skips the calling test when there is no PostgreSQL here, or fails it in CI.
    /// </summary>
    public async Task<string> MaintenanceConnectionStringAsync()
    {
        _source.Require(InCi);
        return (await _started.Value).ConnectionString;
    }

    /// <summary>
    /// A new database of the calling test's own, <c>CREATE DATABASE "t_&lt;guid&gt;" TEMPLATE ...</c>: the template is
    /// created and prepared by <paramref name="template"/>'s callback on first use in this run, once, however many
    /// tests ask at the same time (they all wait for it). Dispose the result to drop the database.
    /// </summary>
    public async Task<PostgreSqlTestDatabase> CreateDatabaseAsync(PostgreSqlTemplate template)
    {
        var maintenance = await MaintenanceConnectionStringAsync();
        var templateDatabase = await TemplateAsync(template, maintenance);
        var name = $"t_{Guid.NewGuid():N}";
        await ExecuteAsync(maintenance, $"""CREATE DATABASE "{name}" TEMPLATE "{templateDatabase}" """);
        var connectionString = new NpgsqlConnectionStringBuilder(maintenance)
        {
            Database = name,
            MaxPoolSize = PostgreSqlTestDatabase.MaximumPoolSize,
        };
        return new PostgreSqlTestDatabase(this, name, connectionString.ConnectionString);
    }

    internal async Task DropDatabaseAsync(string name) =>
        await ExecuteAsync(await MaintenanceConnectionStringAsync(), $"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_started.IsValueCreated && _started.Value.IsCompletedSuccessfully)
        {
            var (maintenance, throwaway) = await _started.Value;
            if (throwaway is not null)
            {
                // Everything in it goes with it.
                await throwaway.StopAsync();
            }
            else
            {
                // A server of one's own keeps running: leave it as it was found.
                foreach (var (_, database) in _templates.Values.Where(t => t.Database.Value.IsCompletedSuccessfully))
                {
                    await ExecuteAsync(maintenance, $"""DROP DATABASE IF EXISTS "{await database.Value}" WITH (FORCE)""");
                }
            }
        }

        _stopping.Dispose();
    }

    private async Task<(string, ThrowawayPostgreSql?)> StartAsync()
    {
        switch (_source)
        {
            case PostgreSqlSource.Existing existing:
                return (existing.MaintenanceConnectionString, null);
            case PostgreSqlSource.Binaries binaries:
                var throwaway = await ThrowawayPostgreSql.StartAsync(binaries.BinFolder);
                return (throwaway.MaintenanceConnectionString, throwaway);
            default:
                throw new InvalidOperationException($"No PostgreSQL to start: {_source}");
        }
    }

    private Task<string> TemplateAsync(PostgreSqlTemplate template, string maintenance)
    {
        if (!TemplateName().IsMatch(template.Name))
        {
            throw new ArgumentException($"A template name is lower-case letters, digits and underscores, at most 30: '{template.Name}'.");
        }

        var entry = _templates.GetOrAdd(template.Name, _ => (template, new(() => CreateTemplateAsync(template, maintenance))));
        return entry.Definition == template
            ? entry.Database.Value
            : throw new InvalidOperationException($"Two different PostgreSQL templates are named '{template.Name}'.");
    }

    private async Task<string> CreateTemplateAsync(PostgreSqlTemplate template, string maintenance)
    {
        var name = $"um_template_{template.Name}_{_run}";
        await ExecuteAsync(maintenance, $"""CREATE DATABASE "{name}" """);
        var templateConnection = new NpgsqlConnectionStringBuilder(maintenance) { Database = name, Pooling = false };
        await template.Prepare(templateConnection.ConnectionString, _stopping.Token);

        // CREATE DATABASE ... TEMPLATE refuses a template anyone is connected to ("being accessed by other users").
        // The preparation may have left connections open (a pool of its own, a background service): from now on
        // nobody may connect to the template, and whoever still is gets disconnected (the call waits until they are).
        await ExecuteAsync(maintenance, $"""ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false""");
        await ExecuteAsync(maintenance, $"""
            SELECT pg_terminate_backend(pid, 60000) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()
            """);
        return name;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.TooManyConnections)
        {
            throw new InvalidOperationException(
                "The test PostgreSQL server has no connection left: a test database that is never disposed keeps its pool open.", e);
        }

        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex("^[a-z0-9_]{1,30}$")]
    private static partial Regex TemplateName();
}

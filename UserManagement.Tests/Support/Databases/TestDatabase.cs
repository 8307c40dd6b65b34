using System.Data.Common;
using UserManagement.Infrastructure;

namespace UserManagement.Tests.Support.Databases;

/// <summary>
/// One test's own database, on either provider: a SQLite file in a temp folder (<see cref="SqliteTestDatabase"/>) or a
/// clone on the test run's PostgreSQL server (<see cref="PostgreSqlTestDatabase"/>). A <see cref="TestApp"/> runs on
/// whichever it is given through <see cref="Settings"/>, the same two settings production configures; the test reads
/// and writes behind the app's back through <see cref="OpenConnectionAsync"/>. Disposing it deletes it.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>The app's <c>ConnectionStrings:Default</c> for this database.</summary>
    public abstract string ConnectionString { get; }

    /// <summary><c>Database:Provider</c> and <c>ConnectionStrings:Default</c>, as the app's configuration.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"] = Provider.ToString(),
        ["ConnectionStrings:Default"] = ConnectionString,
    };

    /// <summary>A new, open connection of the provider's ADO.NET driver, beside the app's own.</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A command with <paramref name="sql"/> and its named parameters (<c>@name</c>, understood by both drivers).</summary>
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public override string ToString() => Provider.ToString();

    protected abstract DbConnection CreateConnection();

    public abstract ValueTask DisposeAsync();
}

using System.Data.Common;
using Npgsql;
using UserManagement.Infrastructure;

namespace UserManagement.Tests.Support.Databases;

/// <summary>
/// One test's own PostgreSQL database, a clone of a template (<see cref="PostgreSqlServer.CreateDatabaseAsync"/>);
/// disposing it drops it, whoever is still connected. <see cref="ConnectionString"/> pools at most
/// <see cref="MaximumPoolSize"/> connections, so that a few hundred test databases fit in the server's 300.
/// </summary>
public sealed class PostgreSqlTestDatabase : TestDatabase
{
    public const int MaximumPoolSize = 10;

    private readonly PostgreSqlServer _server;
    private int _disposed;

    internal PostgreSqlTestDatabase(PostgreSqlServer server, string name, string connectionString)
    {
        _server = server;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name, <c>t_&lt;guid&gt;</c>.</summary>
    public string Name { get; }

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSQL;

    /// <summary>An Npgsql connection string to this database, as the app's <c>ConnectionStrings:Default</c>.</summary>
    public override string ConnectionString { get; }

    protected override DbConnection CreateConnection() => new NpgsqlConnection(ConnectionString);

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Idle pooled connections would otherwise outlive the database as broken ones; FORCE ends those still in use.
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await _server.DropDatabaseAsync(Name);
    }
}

using System.Data.Common;
using Npgsql;
using UserManagement.Infrastructure;

namespace UserManagement.Tests.Support.Databases;

/// <summary>
/// A database on a PostgreSQL server of the test's own (<see cref="ThrowawayPostgreSql.StartOwnAsync"/>), which the test
/// stops and starts; it goes when the server goes, so disposing it only lets go of its pool.
/// </summary>
internal sealed class ServerTestDatabase(string connectionString) : TestDatabase
{
    public override DatabaseProvider Provider => DatabaseProvider.PostgreSQL;

    public override string ConnectionString => connectionString;

    protected override DbConnection CreateConnection() => new NpgsqlConnection(connectionString);

    public override ValueTask DisposeAsync()
    {
        using var pooled = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(pooled);
        return ValueTask.CompletedTask;
    }
}

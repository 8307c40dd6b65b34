using System.Data.Common;
using Microsoft.Data.Sqlite;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite;

namespace UserManagement.Tests.Support.Databases;

/// <summary>A SQLite file, <c>test.db</c>, in a folder the caller owns (a <see cref="TempFolder"/> deletes it with the folder).</summary>
public sealed class SqliteTestDatabase(string folder) : TestDatabase
{
    public const string FileName = "test.db";

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string ConnectionString { get; } = SqliteConnectionString.Resolve($"Data Source={FileName}", folder);

    protected override DbConnection CreateConnection() => new SqliteConnection(ConnectionString);

    // The file goes with the folder it lives in, which its owner deletes.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UserManagement.Infrastructure;

/// <summary>
/// Sets the same pragmas on every connection EF opens:
/// <list type="bullet">
/// <item>WAL journal, so readers never wait for the writer;</item>
/// <item>synchronous=FULL: a commit is on disk before it returns, so a confirmed change survives a power
/// cut (see docs/adr/0003-sqlite-durability.md);</item>
/// <item>a busy timeout, so a writer waits for another writer instead of failing with "database is locked";</item>
/// <item>foreign keys enforced.</item>
/// </list>
/// It also refuses a pooled connection whose database file has been deleted since it was opened: SQLite would
/// go on reading and writing the deleted file, and every change "saved" there would be lost.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public const int BusyTimeoutMilliseconds = 5_000;

    /// <summary>The value of PRAGMA synchronous that FULL reads back as.</summary>
    public const int SynchronousFull = 2;

    private const int SqliteCantOpen = 14;

    private static readonly string Pragmas =
        $"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        Apply(connection);

    public override Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite)
        {
            return;
        }

        RefuseIfFileDeleted(sqlite);

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    /// <summary>One stat per open: cheap next to the pragmas, and it keeps a deleted database from swallowing writes.</summary>
    private static void RefuseIfFileDeleted(SqliteConnection connection)
    {
        var file = connection.DataSource;
        if (string.IsNullOrEmpty(file) || File.Exists(file))
        {
            return;
        }

        // Drop the pooled handles to the deleted file, so the connections after the file is back use the new one.
        SqliteConnection.ClearPool(connection);
        connection.Close();
        throw new SqliteException($"The database file {file} no longer exists.", SqliteCantOpen);
    }
}

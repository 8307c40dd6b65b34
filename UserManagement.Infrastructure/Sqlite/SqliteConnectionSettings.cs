using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>
/// Sets the same pragmas on every connection EF opens:
/// <list type="bullet">
/// <item>WAL journal, so readers never wait for the writer;</item>
/// <item>synchronous=FULL: a commit is on disk before it returns, so a confirmed change survives a power
/// cut (see docs/adr/0003-sqlite-durability.md);</item>
/// <item>a busy timeout, so a writer waits for another writer instead of failing with "database is locked";</item>
/// <item>foreign keys enforced;</item>
/// <item>the file memory-mapped (up to <see cref="MemoryMapBytes"/>): a read of a page already in the operating
/// system's cache costs no system call, which is what makes a page of the users list cheap on a large
/// database.</item>
/// </list>
/// It also refuses a pooled connection whose database file has been deleted since it was opened: SQLite would
/// go on reading and writing the deleted file, and every change "saved" there would be lost.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public const int BusyTimeoutMilliseconds = 5_000;

    /// <summary>The value of PRAGMA synchronous that FULL reads back as.</summary>
    public const int SynchronousFull = 2;

    /// <summary>How much of the database file each connection maps into memory (address space, not RAM).</summary>
    public const long MemoryMapBytes = 1L << 30;

    private const int SqliteCantOpen = 14;

    private static readonly string Pragmas =
        $"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA foreign_keys = ON; PRAGMA mmap_size = {MemoryMapBytes};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        Apply(connection);

    public override Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    // The pool hands the same native connection out again and again, and it keeps its settings: set them the
    // first time only (five PRAGMAs cost more than reading a user by id).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = [];

    private static void Apply(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite)
        {
            return;
        }

        RefuseIfFileDeleted(sqlite);
        if (Configured.TryGetValue(handle, out _))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        Configured.AddOrUpdate(handle, handle);
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

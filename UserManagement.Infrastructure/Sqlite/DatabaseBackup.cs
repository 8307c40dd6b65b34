using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>What a verified database file holds: its migrations and the rows of each table.</summary>
public sealed record DatabaseSummary(string File, long Bytes, IReadOnlyList<string> Migrations, IReadOnlyDictionary<string, long> RowsByTable);

/// <summary>A backup or restore that was refused or failed; the message says why and what to do.</summary>
public sealed class DatabaseOperationException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>
/// Backs up and restores the SQLite database with SQLite's online backup API, which copies one consistent
/// snapshot (everything committed before the copy began) while the app goes on serving. Every copy is checked
/// with <c>PRAGMA integrity_check</c> before it is trusted. See docs/operations.md, "Backup and restore".
/// </summary>
public static class DatabaseBackup
{
    /// <summary>
    /// Copies the live database named by <paramref name="connectionString"/> to <paramref name="destination"/>,
    /// which must not exist yet. The copy is written beside it under a temporary name, verified, made a single
    /// self-contained file (rollback journal, no -wal), and only then renamed into place.
    /// </summary>
    public static DatabaseSummary Backup(string connectionString, string destination)
    {
        var source = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        if (!File.Exists(source.DataSource))
        {
            throw new DatabaseOperationException($"There is no database at {source.DataSource} to back up.");
        }

        destination = Path.GetFullPath(destination);
        if (File.Exists(destination))
        {
            throw new DatabaseOperationException($"{destination} already exists; choose a new file name (for example one with the date).");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var partial = destination + ".partial";
        DeleteDatabaseFiles(partial);
        try
        {
            using (var from = Open(source.ToString()))
            using (var to = Open(WritableFile(partial)))
            {
                from.BackupDatabase(to);
                Execute(to, "PRAGMA journal_mode = DELETE");
            }

            var summary = Verify(partial);
            File.Move(partial, destination);
            return summary with { File = destination };
        }
        finally
        {
            DeleteDatabaseFiles(partial);
        }
    }

    /// <summary>
    /// Checks that <paramref name="file"/> is a sound database of this app: <c>integrity_check</c> says ok and
    /// it has a migrations history. Throws <see cref="DatabaseOperationException"/> otherwise.
    /// </summary>
    public static DatabaseSummary Verify(string file)
    {
        file = Path.GetFullPath(file);
        if (!File.Exists(file))
        {
            throw new DatabaseOperationException($"There is no file at {file}.");
        }

        try
        {
            using var connection = Open(new SqliteConnectionStringBuilder
            {
                DataSource = file,
                Mode = SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            var problems = Query(connection, "PRAGMA integrity_check", r => r.GetString(0));
            if (problems is not ["ok"])
            {
                throw new DatabaseOperationException(
                    $"{file} is damaged; PRAGMA integrity_check says: {string.Join("; ", problems.Take(5))}");
            }

            var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", r => r.GetString(0));
            if (!tables.Contains(HistoryTable))
            {
                throw new DatabaseOperationException($"{file} is a SQLite database but not one of this app (it has no migrations history).");
            }

            var migrations = Query(connection, $"SELECT MigrationId FROM \"{HistoryTable}\" ORDER BY MigrationId", r => r.GetString(0));
            var rows = tables.Where(t => t != HistoryTable).ToDictionary(
                t => t,
                t => Query(connection, $"SELECT COUNT(*) FROM \"{t.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", r => r.GetInt64(0))[0],
                StringComparer.Ordinal);
            return new DatabaseSummary(file, new FileInfo(file).Length, migrations, rows);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteCorrupt)
        {
            throw new DatabaseOperationException($"{file} is damaged: {e.Message}", e);
        }
        catch (SqliteException e)
        {
            throw new DatabaseOperationException($"{file} cannot be read as a database: {e.Message}", e);
        }
    }

    /// <summary>
    /// Replaces the database named by <paramref name="connectionString"/> with the backup at
    /// <paramref name="backupFile"/>. Refuses when the backup fails <see cref="Verify"/>, when it comes from a newer
    /// version of the app (it has migrations this one does not know), or while the app runs on the database. The
    /// database it replaces is first saved beside it as <c>&lt;file&gt;.before-restore-&lt;UTC time&gt;</c>.
    /// Migrations the backup lacks are applied when the app next starts.
    /// </summary>
    public static RestoreOutcome Restore(string connectionString, string backupFile, DateTime utcNow)
    {
        var backup = Verify(backupFile);
        var target = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        var unknown = backup.Migrations.Except(KnownMigrations(), StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new DatabaseOperationException(
                $"{backup.File} comes from a newer version of the app (it has migrations this version does not know: {string.Join(", ", unknown)}). Restore it with that version.");
        }

        using var exclusive = DatabaseFileLock.TryAcquireExclusive(target.DataSource)
            ?? throw new DatabaseOperationException(
                $"The app is running on {target.DataSource}. Stop it first (for example `systemctl stop usermanagement`), then restore.");

        string? previous = null;
        if (File.Exists(target.DataSource) && new FileInfo(target.DataSource).Length > 0)
        {
            previous = $"{target.DataSource}.before-restore-{utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
            Backup(target.ToString(), previous);
        }

        using (var from = Open(new SqliteConnectionStringBuilder { DataSource = backup.File, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        using (var to = Open(WritableFile(target.DataSource)))
        {
            from.BackupDatabase(to);
            Execute(to, "PRAGMA journal_mode = WAL");
        }

        return new RestoreOutcome(Verify(target.DataSource), previous);
    }

    private const string HistoryTable = "__EFMigrationsHistory";
    private const int SqliteCorrupt = 11;

    private static List<string> KnownMigrations()
    {
        using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=:memory:").Options);
        return db.Database.GetMigrations().ToList();
    }

    private static string WritableFile(string file) =>
        new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString();

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, $"PRAGMA busy_timeout = {SqliteConnectionSettings.BusyTimeoutMilliseconds}");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<T>();
        while (reader.Read())
        {
            values.Add(read(reader));
        }

        return values;
    }

    private static void DeleteDatabaseFiles(string file)
    {
        foreach (var path in new[] { file, file + "-journal", file + "-wal", file + "-shm" })
        {
            File.Delete(path);
        }
    }
}

/// <summary>The restored database, and where the one it replaced was saved (null when there was none).</summary>
public sealed record RestoreOutcome(DatabaseSummary Restored, string? PreviousSavedAs);

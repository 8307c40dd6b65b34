namespace UserManagement.Infrastructure.Sqlite;

/// <summary>
/// An advisory lock beside the database file (<c>&lt;file&gt;.lock</c>) that says "the app has this database
/// open". Every app process holds it shared for as long as it runs (<see cref="DatabaseMigrator"/> takes it);
/// <c>restore</c> needs it exclusively, so it refuses while the app runs and the app refuses to start during a
/// restore. The operating system drops the lock when a process ends, even when it is killed.
/// </summary>
public sealed class DatabaseFileLock : IDisposable
{
    private readonly FileStream _file;

    private DatabaseFileLock(FileStream file) => _file = file;

    public static string PathFor(string databaseFile) => databaseFile + ".lock";

    /// <summary>Takes the lock shared with other app processes; throws <see cref="IOException"/> during a restore.</summary>
    public static DatabaseFileLock AcquireShared(string databaseFile)
    {
        try
        {
            return new DatabaseFileLock(Open(databaseFile, FileShare.ReadWrite));
        }
        catch (IOException e)
        {
            throw new IOException(
                $"The database {databaseFile} is being restored (its lock file is held exclusively); start the app when the restore has finished.", e);
        }
    }

    /// <summary>Takes the lock for this process alone, or returns null while any app process holds it.</summary>
    public static DatabaseFileLock? TryAcquireExclusive(string databaseFile)
    {
        try
        {
            return new DatabaseFileLock(Open(databaseFile, FileShare.None));
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();

    private static FileStream Open(string databaseFile, FileShare share) =>
        new(PathFor(databaseFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, share);
}

using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Infrastructure.Sqlite.Users;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>
/// SQLite's part of <see cref="DatabaseMigrator"/>: before the migrations it takes the shared
/// <see cref="DatabaseFileLock"/> (held until the process ends) and creates the file when there is none yet
/// (connections after that never create one, see <see cref="SqliteConnectionString.Resolve"/>); after them it makes
/// sure the users list's read model is whole (<see cref="SqliteUserListReadModel.EnsureAsync"/>).
/// </summary>
public sealed class SqliteDatabaseStartup(SqliteUserListReadModel userList) : IDatabaseStartup, IDisposable
{
    private DatabaseFileLock? _lock;

    public Task BeforeMigrationsAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var connectionString = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (SqliteConnectionString.IsFile(connectionString))
        {
            _lock ??= DatabaseFileLock.AcquireShared(connectionString.DataSource);
            CreateFileIfMissing(connectionString);
        }

        return Task.CompletedTask;
    }

    public Task AfterMigrationsAsync(AppDbContext db, CancellationToken cancellationToken) =>
        userList.EnsureAsync(db, cancellationToken);

    public void Dispose() => _lock?.Dispose();

    private static void CreateFileIfMissing(SqliteConnectionStringBuilder connectionString)
    {
        if (File.Exists(connectionString.DataSource))
        {
            return;
        }

        using var create = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString.ToString())
        {
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        create.Open();

        // A new file in WAL mode from its first byte: later connections (read-only ones too) then find it set.
        using var wal = create.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL";
        wal.ExecuteNonQuery();
    }
}

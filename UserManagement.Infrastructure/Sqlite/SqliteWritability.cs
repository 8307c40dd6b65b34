using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;
using UserManagement.Infrastructure.Operations;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>
/// The SQLite file takes writes when it is open for writing (a read-only file or volume opens read-only) and may still
/// grow (a size limit, <c>max_page_count</c>, reached with no free page left fails it).
/// </summary>
public sealed class SqliteWritability : IDatabaseWritability
{
    public async Task<string?> WhyNotWritableAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        if (raw.sqlite3_db_readonly(connection.Handle, "main") != 0)
        {
            return "The database file is open read-only: nobody can save.";
        }

        var pages = await ScalarAsync(connection, "PRAGMA page_count", cancellationToken);
        var maxPages = await ScalarAsync(connection, "PRAGMA max_page_count", cancellationToken);
        var freePages = await ScalarAsync(connection, "PRAGMA freelist_count", cancellationToken);
        return pages >= maxPages && freePages == 0 ? $"The database is full: {pages} pages of at most {maxPages}, none free." : null;
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string pragma, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = pragma;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}

using Microsoft.Data.Sqlite;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>The app's SQLite connection string: where its file is and how connections open it.</summary>
public static class SqliteConnectionString
{
    public const string Default = "Data Source=data/usermanagement.db";

    /// <summary>
    /// Makes the data file path absolute (a relative one is taken from <paramref name="baseDirectory"/>) and creates
    /// its folder when missing. A file is opened read-write but never created by a connection:
    /// <see cref="SqliteDatabaseStartup"/> creates it once, so a database file that goes missing while the app runs is
    /// reported as missing rather than silently replaced by an empty one.
    /// </summary>
    public static string Resolve(string? connectionString, string baseDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connectionString) ? Default : connectionString);
        if (IsFile(builder))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, baseDirectory);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
            if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
            {
                builder.Mode = SqliteOpenMode.ReadWrite;
            }
        }

        return builder.ToString();
    }

    /// <summary>True when the connection string names a database file (not an in-memory database).</summary>
    public static bool IsFile(SqliteConnectionStringBuilder builder) =>
        builder.Mode != SqliteOpenMode.Memory
        && !string.IsNullOrEmpty(builder.DataSource)
        && !builder.DataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase);
}

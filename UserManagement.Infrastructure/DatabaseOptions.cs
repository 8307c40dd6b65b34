using Microsoft.Extensions.Configuration;

namespace UserManagement.Infrastructure;

/// <summary>Which database engine holds the app's data; each has a folder of its own in this project (ADR 0029).</summary>
public enum DatabaseProvider
{
    /// <summary>One file beside the app (<c>ConnectionStrings:Default</c> = <c>Data Source=PATH</c>): nothing to install.</summary>
    Sqlite = 0,

    /// <summary>A PostgreSQL database (<c>ConnectionStrings:Default</c> = an Npgsql connection string).</summary>
    PostgreSQL = 1,
}

/// <summary>The <c>Database</c> section of the configuration.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>How long a write waits for the one in progress before it fails: SQLite's busy timeout.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(5);

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// How long a transaction waits for the database's write lock (PostgreSQL: <c>PostgreSql/WriteLock.cs</c>) before the
    /// command fails as unavailable; <see cref="DefaultLockTimeout"/> unless set. SQLite's busy timeout is that default.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = DefaultLockTimeout;

    /// <summary>
    /// How long a start waits for a database server that does not answer yet (PostgreSQL: starting, restarting, failing
    /// over) before it gives up. A SQLite file needs no wait.
    /// </summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The <c>Database</c> section of <paramref name="configuration"/>, with the defaults for what it leaves out.</summary>
    public static DatabaseOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.LockTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}:LockTimeout must be longer than zero (it is {options.LockTimeout}).");
        }

        return options;
    }

    /// <summary>The provider <paramref name="configuration"/> chooses; SQLite when it says nothing.</summary>
    public static DatabaseProvider ProviderOf(IConfiguration configuration) =>
        From(configuration).Provider;
}

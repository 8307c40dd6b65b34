namespace UserManagement.Tests.Support.Databases;

/// <summary>
/// Where the PostgreSQL tests get their server, decided once per test run from the environment: a server of one's own
/// named by <see cref="ConnectionStringVariable"/>; else a throwaway server the tests start from the installed binaries
/// (<see cref="BinFolderVariable"/> or <see cref="DefaultBinFolder"/>); else none, and the tests skip with what to
/// install, except in CI, where they must run.
/// </summary>
public abstract record PostgreSqlSource
{
    /// <summary>A maintenance connection string (a superuser, database <c>postgres</c>) of a server that is already running.</summary>
    public const string ConnectionStringVariable = "USERMANAGEMENT_TEST_POSTGRES";

    public const string BinFolderVariable = "PG_BIN";

    public const string DefaultBinFolder = "/usr/lib/postgresql/15/bin";

    public const string InstallHint =
        "PostgreSQL tests need PostgreSQL 15: install it with `sudo apt-get install -y postgresql-15` (the tests start "
        + $"a throwaway server from {DefaultBinFolder} themselves; {BinFolderVariable} names another bin folder), or set "
        + $"{ConnectionStringVariable} to a maintenance connection string of a server of your own. .ci/run installs it.";

    private PostgreSqlSource()
    {
    }

    /// <summary>A server that is already running; the tests create and drop their databases on it.</summary>
    public sealed record Existing(string MaintenanceConnectionString) : PostgreSqlSource;

    /// <summary>The installed binaries; the tests run initdb and pg_ctl themselves.</summary>
    public sealed record Binaries(string BinFolder) : PostgreSqlSource;

    /// <summary>Nothing to run the tests on, and why.</summary>
    public sealed record Missing(string Reason) : PostgreSqlSource;

    public static PostgreSqlSource Find(Func<string, string?> variable)
    {
        if (variable(ConnectionStringVariable) is { Length: > 0 } connectionString)
        {
            return new Existing(connectionString);
        }

        var binFolder = variable(BinFolderVariable) is { Length: > 0 } named ? named : DefaultBinFolder;
        return File.Exists(Path.Combine(binFolder, "initdb")) && File.Exists(Path.Combine(binFolder, "pg_ctl"))
            ? new Binaries(binFolder)
            : new Missing($"No initdb and pg_ctl in {binFolder}. {InstallHint}");
    }

    /// <summary>
    /// Skips the calling test with what to install when there is no server, or fails it when <paramref name="inCi"/>:
    /// CI must run the PostgreSQL tests, as it must the browser tests.
    /// </summary>
    public void Require(bool inCi)
    {
        if (this is not Missing missing)
        {
            return;
        }

        if (inCi)
        {
            throw new InvalidOperationException($"CI must run the PostgreSQL tests. {missing.Reason}");
        }

        Assert.Skip(missing.Reason);
    }
}

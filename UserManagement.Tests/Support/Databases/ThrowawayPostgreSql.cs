using System.Diagnostics;
using System.Globalization;

namespace UserManagement.Tests.Support.Databases;

/// <summary>
/// A PostgreSQL server of the test run's own, started from the installed binaries in a temp folder
/// (<c>usermanagement-postgres/&lt;guid&gt;</c>) on a free port, and stopped and deleted at the end. initdb refuses to
/// run as root, and CI runs as root: there the folder is given to the <c>postgres</c> system user and every binary runs
/// through <c>runuser -u postgres --</c>. Durability is off (fsync, synchronous commit, full-page writes): only an
/// operating-system crash could lose data, and the data is thrown away anyway.
/// </summary>
internal sealed class ThrowawayPostgreSql
{
    /// <summary>The file in a server's folder that names the process of the test run that started it.</summary>
    public const string OwnerFile = "owner.pid";

    private readonly string _binFolder;
    private readonly string _folder;
    private readonly bool _asPostgresUser;
    private readonly int _port;

    private ThrowawayPostgreSql(string binFolder, string folder, bool asPostgresUser, int port)
    {
        _binFolder = binFolder;
        _folder = folder;
        _asPostgresUser = asPostgresUser;
        _port = port;
        MaintenanceConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
    }

    // As root the folder must be one the postgres user can reach: the system's /tmp, not a TMPDIR under /root.
    private static string Parent =>
        Path.Combine(Environment.IsPrivilegedProcess ? "/tmp" : Path.GetTempPath(), "usermanagement-postgres");

    private string DataFolder => Path.Combine(_folder, "data");

    public string MaintenanceConnectionString { get; }

    /// <summary>The server's folder: its data, its socket and its log.</summary>
    public string Folder => _folder;

    /// <summary>
    /// A server of the calling test's own, to stop and start at will (an outage), from the installed binaries even when
    /// the run's shared server is one of the developer's: skips the test, or fails it in CI, when there are none.
    /// </summary>
    public static async Task<ThrowawayPostgreSql> StartOwnAsync()
    {
        var source = PostgreSqlSource.Find(name => name == PostgreSqlSource.ConnectionStringVariable ? null : Environment.GetEnvironmentVariable(name));
        source.Require(PostgreSqlServer.InCi);
        return await StartAsync(((PostgreSqlSource.Binaries)source).BinFolder);
    }

    public static async Task<ThrowawayPostgreSql> StartAsync(string binFolder)
    {
        var asPostgresUser = Environment.IsPrivilegedProcess;
        await StopAbandonedAsync(binFolder, asPostgresUser);

        var folder = Path.Combine(Parent, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // Written first, so that a run that dies before it stops its server leaves a folder the next run recognises.
        await File.WriteAllTextAsync(Path.Combine(folder, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (asPostgresUser)
        {
            await RunAsync("chown", ["postgres:postgres", folder]);
        }

        var server = new ThrowawayPostgreSql(binFolder, folder, asPostgresUser, port: 0);
        try
        {
            await server.PostgresAsync("initdb", "-D", server.DataFolder, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                "--locale=C.UTF-8", "--no-sync", "--no-instructions");
            return await StartOnFreePortAsync(server);
        }
        catch (InvalidOperationException)
        {
            DeleteFolder(folder);
            throw;
        }
    }

    private static async Task<ThrowawayPostgreSql> StartOnFreePortAsync(ThrowawayPostgreSql server)
    {
        var log = Path.Combine(server._folder, "server.log");
        // A free port can be taken by someone else between the look and the start: try another one then.
        for (var attempt = 1; ; attempt++)
        {
            var port = AppHost.FreePort();
            try
            {
                await server.PostgresAsync("pg_ctl", "-D", server.DataFolder, "-l", log, "-w", "-t", "300", "-o",
                    Options(port, server._folder), "start");
                return new ThrowawayPostgreSql(server._binFolder, server._folder, server._asPostgresUser, port);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException(
                    $"{e.Message}\nServer log:\n{(File.Exists(log) ? await File.ReadAllTextAsync(log) : "(none)")}", e);
            }
        }
    }

    /// <summary>
    /// Stops the server and keeps its data, as an outage would: <paramref name="mode"/> <c>fast</c> ends every session
    /// and shuts down cleanly, <c>immediate</c> kills it (a crash; the next start recovers).
    /// </summary>
    public Task PauseAsync(string mode = "fast") => PostgresAsync("pg_ctl", "-D", DataFolder, "-m", mode, "-w", "stop");

    /// <summary>Starts the paused server again on its port, with its data.</summary>
    public Task ResumeAsync() => PostgresAsync("pg_ctl", "-D", DataFolder, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "300",
        "-o", Options(_port, _folder), "start");

    /// <summary>Stops the server at once (nothing in it is kept) and deletes its folder.</summary>
    public async Task StopAsync()
    {
        try
        {
            // A paused server is stopped already.
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            {
                await PostgresAsync("pg_ctl", "-D", DataFolder, "-m", "immediate", "-w", "stop");
            }
        }
        finally
        {
            DeleteFolder(_folder);
        }
    }

    private static string Options(int port, string folder) => string.Join(' ',
        $"-p {port}", $"-k {folder}", "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c synchronous_commit=off",
        "-c full_page_writes=off", "-c max_connections=300", "-c jit=off");

    /// <summary>
    /// Stops and deletes the servers of test runs that ended without stopping theirs (killed, or the machine's time
    /// limit): their owner process is gone. Servers of runs still going (another worktree's) are left alone.
    /// </summary>
    private static async Task StopAbandonedAsync(string binFolder, bool asPostgresUser)
    {
        if (!Directory.Exists(Parent))
        {
            return;
        }

        foreach (var folder in Directory.GetDirectories(Parent))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(File.ReadAllText(owner), out var pid) || Directory.Exists($"/proc/{pid}"))
            {
                continue;
            }

            var abandoned = new ThrowawayPostgreSql(binFolder, folder, asPostgresUser, port: 0);
            if (File.Exists(Path.Combine(abandoned.DataFolder, "postmaster.pid")))
            {
                try
                {
                    await abandoned.PostgresAsync("pg_ctl", "-D", abandoned.DataFolder, "-m", "immediate", "-w", "stop");
                }
                catch (InvalidOperationException)
                {
                    // Already stopped: only the folder is left.
                }
            }

            DeleteFolder(folder);
        }
    }

    private Task PostgresAsync(string binary, params string[] arguments)
    {
        var path = Path.Combine(_binFolder, binary);
        return _asPostgresUser ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments]) : RunAsync(path, arguments);
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{file} {string.Join(' ', arguments)}` exited with {process.ExitCode}:\n{await output}{await error}");
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp folder left behind is harmless; never fail a test run over clean-up.
        }
    }
}

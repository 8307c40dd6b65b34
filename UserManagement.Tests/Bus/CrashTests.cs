using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Bus;

/// <summary>
/// The web app, as its own process, imports 20,000 rows and is killed with SIGKILL at a random point; started
/// again, it finishes the job by itself, every row is there exactly once, every domain event stored with a batch is
/// delivered (none left waiting in the outbox, none dead-lettered) and the database is intact. Five rounds.
/// </summary>
public sealed class CrashTests
{
    private const int Rows = 20_000;

    // How long a job may go without one more row done before the wait gives up. Not a bound on the whole import:
    // on a loaded 2-core machine the 20,000 rows can take longer than any fixed time, and that is not a failure.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Five rounds, each killed at a random row; <see cref="RunRoundAsync"/> asserts each: every row created once, the
    /// job completed, every committed batch's events delivered, the database intact.
    /// </summary>
    [Fact]
    public async Task Should_finish_an_import_exactly_once_after_the_process_is_killed_mid_way()
    {
        for (var round = 1; round <= 5; round++)
        {
            await RunRoundAsync(round, Random.Shared.Next(1, Rows - 1_000));
        }
    }

    private static async Task RunRoundAsync(int round, int killAfter)
    {
        using var folder = new TempFolder("crash");
        var (dataFile, jobId) = await AcceptImportAsync(folder);
        await using (var first = ChildApp.Start(dataFile))
        {
            await WaitForAsync(dataFile, jobId, j => j.Done >= killAfter, $"round {round}: {killAfter} rows done", first);
            first.Kill();
        }

        var killedAt = await ReadJobAsync(dataFile, jobId);
        killedAt!.Status.ShouldNotBe(JobStatus.Completed, $"round {round}: killed before the end");

        await using (var second = ChildApp.Start(dataFile))
        {
            var done = await WaitForAsync(dataFile, jobId, j => j.IsFinished || j.Status == JobStatus.Failed, $"round {round}: finished after restart", second);
            done.Status.ShouldBe(JobStatus.Completed, $"round {round}: {done.LastError}");
            (done.Done, done.Skipped, done.Failed).ShouldBe((Rows, 0, 0), $"round {round}");

            // The domain events of every committed batch, those the first process had not delivered when it was
            // killed included, are delivered by the second (ADR 0021).
            await using var events = new SqliteConnection($"Data Source={dataFile};Mode=ReadOnly;Pooling=False");
            await events.OpenAsync();
            await BusTables.WaitForNoPendingEnvelopesAsync(events, $"round {round}: {second.Output}");
            (await BusTables.DeadLettersAsync(events)).ShouldBe(0, $"round {round}");
            (await BusTables.EnvelopesAsync(events, null, status: "Handled")).ShouldBeGreaterThan(0, $"round {round}: the import's events went through the outbox");
        }

        await using var db = Open(dataFile);
        var emails = await db.Users.AsNoTracking().Where(u => u.Email.EndsWith(".crash@example.com")).Select(u => u.NormalizedEmail).ToListAsync();
        emails.Count.ShouldBe(Rows, $"round {round}: killed after {killAfter}");
        emails.Distinct().Count().ShouldBe(Rows);
        (await db.ImportRows.CountAsync(r => r.JobId == jobId && r.Outcome == ImportRowOutcome.Created && r.UserId != null)).ShouldBe(Rows);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        (await check.ExecuteScalarAsync()).ShouldBe("ok", $"round {round}");
    }

    /// <summary>
    /// Accepts the import in an app of the test's own whose worker cannot get anywhere (a trigger refuses every
    /// user), then stops it: the job and its message are stored, waiting for the next process to take them up.
    /// </summary>
    private static async Task<(string DataFile, Guid JobId)> AcceptImportAsync(TempFolder folder)
    {
        var dataFile = folder.File("crash.db");
        await using (var app = await TestApp.StartAsync(bus: true, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = $"Data Source={dataFile}",
            ["Bus:RetryDelays:0"] = "01:00:00",
        }))
        {
            await app.ActAsStoredAdministratorAsync();
            await using (var db = await app.OpenDbAsync())
            {
                await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER hold BEFORE INSERT ON Users BEGIN SELECT RAISE(ABORT, 'held (test)'); END;");
            }

            var started = await app.Send(new StartImportCommand("crash.csv", ImportFiles.ValidRows(Rows, "crash")));
            started.IsSuccess.ShouldBeTrue(started.ToString());
            await app.WaitForJobAsync(started.Value, j => j.LastError != null, "held");
            await using (var db = await app.OpenDbAsync())
            {
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER hold;");
            }

            SqliteConnection.ClearAllPools();
            return (dataFile, started.Value);
        }
    }

    private static Infrastructure.Sqlite.SqliteAppDbContext Open(string dataFile) =>
        new(new DbContextOptionsBuilder<Infrastructure.Sqlite.SqliteAppDbContext>().UseSqlite($"Data Source={dataFile};Pooling=False").Options);

    private static async Task<Job?> ReadJobAsync(string dataFile, Guid jobId)
    {
        await using var db = Open(dataFile);
        return await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId);
    }

    private static async Task<Job> WaitForAsync(string dataFile, Guid jobId, Func<Job, bool> condition, string what, ChildApp child)
    {
        var deadline = DateTime.UtcNow + Patience;
        Job? job = null;
        while (DateTime.UtcNow < deadline)
        {
            var done = job?.Done;
            job = await ReadJobAsync(dataFile, jobId);
            if (job is not null && condition(job))
            {
                return job;
            }

            if (job is not null && job.Done != done)
            {
                deadline = DateTime.UtcNow + Patience;
            }

            if (child.HasExited)
            {
                throw new InvalidOperationException($"The app exited while waiting for {what}: {await child.ExitReportAsync()}");
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No {what}: no row done for {Patience}; job: {job?.Status} {job?.Done}/{job?.Total} {job?.LastError}\n{child.Output}");
    }

    /// <summary>The built web app in a process of its own, on the given data file.</summary>
    private sealed class ChildApp : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _output = [];

        private ChildApp(Process process) => _process = process;

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return string.Join('\n', _output.TakeLast(60));
                }
            }
        }

        public static ChildApp Start(string dataFile)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Repository.WebDll, "--urls", "http://127.0.0.1:0" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = Repository.File("UserManagement.Web"),
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            start.Environment["ConnectionStrings__Default"] = $"Data Source={dataFile}";
            var child = new ChildApp(new Process { StartInfo = start });
            child._process.OutputDataReceived += (_, e) => child.Read(e.Data);
            child._process.ErrorDataReceived += (_, e) => child.Read(e.Data);
            child._process.Start();
            child._process.BeginOutputReadLine();
            child._process.BeginErrorReadLine();
            return child;
        }

        /// <summary>
        /// How an exited child ended: its exit code (128 + the signal's number when a signal ended it) and its last
        /// lines, read to the end of its output first (the exit can be seen before the last lines arrive).
        /// </summary>
        public async Task<string> ExitReportAsync()
        {
            await _process.WaitForExitAsync();
            return $"exit code {_process.ExitCode}; it printed:\n{Output}";
        }

        /// <summary>SIGKILL: no shutdown code runs, as when the machine loses power or the OOM killer strikes.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        private void Read(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.Add(line);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}

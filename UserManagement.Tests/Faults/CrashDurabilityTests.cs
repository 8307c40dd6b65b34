using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using UserManagement.CrashHarness;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>
/// Issue 11, fault 1: nothing acknowledged is lost when the process dies. A child process
/// (UserManagement.CrashHarness) runs the real CreateUser and UpdateUser handlers with eight concurrent writers and
/// prints each change only after its command returned success; the test kills it with SIGKILL at a random
/// moment, twenty times over one database. After each kill every <see cref="ICrashInvariant"/> must hold, and the
/// app must start on the database and report itself ready.
/// </summary>
public sealed class CrashDurabilityTests : IAsyncLifetime
{
    private const int Rounds = 20;
    private const int Writers = 8;

    /// <summary>What must hold after every kill. Each checks the database against everything acknowledged so far.</summary>
    private static readonly ICrashInvariant[] Invariants = [new DatabaseIsIntact(), new EveryAcknowledgedChangeIsStored(), new EveryChangeHasItsAuditEntry()];

    private readonly HostSandbox _sandbox = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    [Fact]
    public async Task Should_keep_every_acknowledged_change_when_the_process_is_killed_mid_write_twenty_times()
    {
        var dataFile = _sandbox.PathOf("crash.db");
        var random = new Random(20261127);
        var acknowledged = new List<Acknowledgement>();

        for (var round = 1; round <= Rounds; round++)
        {
            var killAfter = random.Next(3, 40);
            var thisRound = await RunAndKillAsync(dataFile, round, killAfter);
            thisRound.Count.ShouldBeGreaterThanOrEqualTo(killAfter, $"round {round}");
            acknowledged.AddRange(thisRound);

            var crash = new CrashRound(round, dataFile, acknowledged);
            foreach (var invariant in Invariants)
            {
                (await invariant.CheckAsync(crash)).ShouldBeEmpty($"{invariant.GetType().Name} after round {round}");
            }

            await ShouldStartAndBeReadyAsync(dataFile);
        }

        TestContext.Current.SendDiagnosticMessage($"{Rounds} kills, {acknowledged.Count} acknowledged changes, all present.");
    }

    /// <summary>Runs the harness until it has acknowledged <paramref name="killAfter"/> changes, kills it, and returns every whole acknowledgement it printed.</summary>
    private static async Task<List<Acknowledgement>> RunAndKillAsync(string dataFile, int round, int killAfter)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "UserManagement.CrashHarness.dll"),
                "--database", dataFile, "--writers", Writers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--run", round.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var harness = new Process { StartInfo = start };
        var acknowledged = new List<Acknowledgement>();
        var errors = new List<string>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.OutputDataReceived += (_, e) =>
        {
            if (Acknowledgement.Parse(e.Data) is { } ack)
            {
                lock (acknowledged)
                {
                    acknowledged.Add(ack);
                    if (acknowledged.Count >= killAfter)
                    {
                        enough.TrySetResult();
                    }
                }
            }
        };
        harness.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.Add(e.Data);
                }
            }
        };
        harness.Start();
        harness.BeginOutputReadLine();
        harness.BeginErrorReadLine();
        try
        {
            await enough.Task.WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Round {round}: the harness acknowledged {acknowledged.Count} of {killAfter} changes in 120 s. It said:\n{string.Join('\n', errors)}");
        }

        harness.Kill(); // SIGKILL: no finally blocks, no flush, no shutdown.
        await harness.WaitForExitAsync(TestContext.Current.CancellationToken);
        harness.WaitForExit(); // and every line it printed before it died has been read
        errors.ShouldBeEmpty($"round {round}: the harness wrote to stderr");
        lock (acknowledged)
        {
            return [.. acknowledged];
        }
    }

    private async Task ShouldStartAndBeReadyAsync(string dataFile)
    {
        var host = _sandbox.Start(dataFile);
        using var client = host.CreateClient();
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK, await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await _sandbox.StopAsync(host);
    }
}

/// <summary>The database after a kill, and every change acknowledged in this and the earlier rounds.</summary>
public sealed record CrashRound(int Round, string DataFile, IReadOnlyList<Acknowledgement> Acknowledged)
{
    public SqliteConnection OpenReadOnly() => new($"Data Source={DataFile};Mode=ReadOnly;Pooling=False");
}

/// <summary>Something that must hold after the process was killed; returns what it found wrong (nothing, when it holds).</summary>
public interface ICrashInvariant
{
    Task<IReadOnlyList<string>> CheckAsync(CrashRound crash);
}

/// <summary><c>PRAGMA integrity_check</c> says ok.</summary>
public sealed class DatabaseIsIntact : ICrashInvariant
{
    public async Task<IReadOnlyList<string>> CheckAsync(CrashRound crash)
    {
        await using var connection = crash.OpenReadOnly();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        await using var reader = await check.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return lines is ["ok"] ? [] : lines;
    }
}

/// <summary>
/// Every acknowledged create is stored, and every user holds its latest acknowledged change: its version is at
/// least the last one acknowledged, and when equal, its name and email are that change's. (A higher version is a
/// change that committed but whose acknowledgement the kill cut off.)
/// </summary>
public sealed class EveryAcknowledgedChangeIsStored : ICrashInvariant
{
    public async Task<IReadOnlyList<string>> CheckAsync(CrashRound crash)
    {
        var stored = new Dictionary<Guid, (long Version, string Name, string Email)>();
        await using (var connection = crash.OpenReadOnly())
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT Id, Version, Name, Email FROM Users";
            await using var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                stored[Guid.Parse(reader.GetString(0))] = (reader.GetInt64(1), reader.GetString(2), reader.GetString(3));
            }
        }

        var problems = new List<string>();
        foreach (var latest in crash.Acknowledged.GroupBy(a => a.Id).Select(g => g.MaxBy(a => a.Version)!))
        {
            if (!stored.TryGetValue(latest.Id, out var row))
            {
                problems.Add($"{latest.Kind} {latest.Id} was acknowledged but is not stored");
            }
            else if (row.Version < latest.Version || (row.Version == latest.Version && (row.Name, row.Email) != (latest.Name, latest.Email)))
            {
                problems.Add($"{latest.Id}: acknowledged v{latest.Version} '{latest.Name}', stored v{row.Version} '{row.Name}'");
            }
        }

        return problems;
    }
}

/// <summary>
/// The audit trail commits with the change it records: every stored user has exactly one "created" entry and one
/// "updated" entry per version after the first (the harness changes name and email on every update, and each update
/// moves the version by one), so every acknowledged change, which is stored, has its entry; and no entry names a user
/// that is not stored, so no entry outlived a change that was rolled back by the kill.
/// </summary>
public sealed class EveryChangeHasItsAuditEntry : ICrashInvariant
{
    public async Task<IReadOnlyList<string>> CheckAsync(CrashRound crash)
    {
        await using var connection = crash.OpenReadOnly();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var versions = new Dictionary<Guid, long>();
        await using (var users = connection.CreateCommand())
        {
            // The harness's users; the app's start-up adds an administrator of its own, with other kinds of entries.
            users.CommandText = "SELECT Id, Version FROM Users WHERE Email LIKE '%@crash.example'";
            await using var reader = await users.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                versions[Guid.Parse(reader.GetString(0))] = reader.GetInt64(1);
            }
        }

        var entries = new Dictionary<Guid, (long Created, long Updated)>();
        await using (var audit = connection.CreateCommand())
        {
            audit.CommandText = $"""
                SELECT TargetId, SUM(Action = $created), SUM(Action = $updated) FROM {UserManagement.Infrastructure.Sqlite.Audit.SqliteAuditTrailSql.Table}
                WHERE Action IN ($created, $updated) GROUP BY TargetId
                """;
            audit.Parameters.AddWithValue("$created", UserManagement.Application.Audit.AuditActions.UserCreated);
            audit.Parameters.AddWithValue("$updated", UserManagement.Application.Audit.AuditActions.UserUpdated);
            await using var reader = await audit.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                entries[Guid.Parse(reader.GetString(0))] = (reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        var problems = new List<string>();
        foreach (var (id, version) in versions)
        {
            var (created, updated) = entries.GetValueOrDefault(id);
            if (created != 1 || updated != version - 1)
            {
                var acknowledged = string.Join(", ", crash.Acknowledged.Where(a => a.Id == id).Select(a => $"{a.Kind} v{a.Version}"));
                problems.Add($"{id} is stored at v{version} but has {created} created and {updated} updated entries (acknowledged: {acknowledged})");
            }
        }

        await using (var all = connection.CreateCommand())
        {
            all.CommandText = "SELECT Id FROM Users";
            await using var reader = await all.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var stored = new HashSet<Guid>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                stored.Add(Guid.Parse(reader.GetString(0)));
            }

            problems.AddRange(entries.Keys.Where(id => !stored.Contains(id)).Select(id => $"audit entries name {id}, which is not stored"));
        }


        return problems;
    }
}

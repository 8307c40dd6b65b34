using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UserManagement.Infrastructure.Bus;
using UserManagement.Infrastructure.Operations;
using UserManagement.Tests.Support;
using Wolverine.Runtime;

namespace UserManagement.Tests.Operations;

/// <summary>/health/live and /health/ready as a load balancer or monitor calls them: anonymous, over HTTP.</summary>
public sealed class HealthEndpointTests : IAsyncLifetime
{
    private readonly HostSandbox _sandbox = new();

    /// <summary>For tests that watch readiness change from one request to the next: every request runs the checks.</summary>
    private static readonly Dictionary<string, string> Uncached = new() { ["Health:ReadyCacheSeconds"] = "0" };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(AppHost host, string path)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The body holds a status and the checks' names and statuses, and nothing else.</summary>
    private static Dictionary<string, string> ShouldBeStatusOnly(string body, string status)
    {
        using var json = JsonDocument.Parse(body);
        json.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["status", "checks"]);
        json.RootElement.GetProperty("status").GetString().ShouldBe(status);
        var checks = json.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        checks.Values.ShouldAllBe(s => s == "Healthy" || s == "Degraded" || s == "Unhealthy");
        return checks;
    }

    private static async Task ExecuteAsync(string dataFile, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={dataFile};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Should_answer_live_and_ready_anonymously_when_the_database_is_usable()
    {
        var host = _sandbox.Start("healthy.db");

        var live = await GetAsync(host, "/health/live");
        var ready = await GetAsync(host, "/health/ready");

        live.Status.ShouldBe(HttpStatusCode.OK);
        ShouldBeStatusOnly(live.Body, "Healthy").ShouldBeEmpty();
        ready.Status.ShouldBe(HttpStatusCode.OK);
        ShouldBeStatusOnly(ready.Body, "Healthy").ShouldBe(new Dictionary<string, string>
        {
            [DatabaseHealthCheck.Name] = "Healthy",
            [BusHealthCheck.Name] = "Healthy",
        });
    }

    [Fact]
    public async Task Should_report_not_ready_while_the_background_queue_takes_no_work()
    {
        var host = _sandbox.Start("stopped-worker.db", Uncached);
        (await GetAsync(host, "/health/ready")).Status.ShouldBe(HttpStatusCode.OK);
        var queue = host.Services.GetRequiredService<IWolverineRuntime>().Endpoints
            .FindListenerCircuit(new Uri($"local://{BusOptions.BackgroundQueue}")).ShouldNotBeNull();

        await queue.PauseAsync(TimeSpan.FromMinutes(10));
        var stopped = await GetAsync(host, "/health/ready");

        stopped.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ShouldBeStatusOnly(stopped.Body, "Unhealthy").ShouldBe(new Dictionary<string, string>
        {
            [DatabaseHealthCheck.Name] = "Healthy",
            [BusHealthCheck.Name] = "Unhealthy",
        });
    }

    [Fact]
    public async Task Should_report_not_ready_without_revealing_why_when_the_database_is_gone_and_recover_when_it_is_back()
    {
        var dataFile = _sandbox.PathOf("gone.db");
        var elsewhere = _sandbox.PathOf("elsewhere.db");
        var host = _sandbox.Start(dataFile, Uncached);

        DatabaseFiles.Move(dataFile, elsewhere);
        var gone = await GetAsync(host, "/health/ready");
        var live = await GetAsync(host, "/health/live");

        gone.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ShouldBeStatusOnly(gone.Body, "Unhealthy")[DatabaseHealthCheck.Name].ShouldBe("Unhealthy");
        gone.Body.ShouldNotContain(_sandbox.Directory);
        gone.Body.ShouldNotContain("SQLite", Case.Insensitive);
        File.Exists(dataFile).ShouldBeFalse("nothing may create an empty database in place of the missing one");
        live.Status.ShouldBe(HttpStatusCode.OK);

        DatabaseFiles.Move(elsewhere, dataFile);
        var back = await GetAsync(host, "/health/ready");

        back.Status.ShouldBe(HttpStatusCode.OK);
        ShouldBeStatusOnly(back.Body, "Healthy");
    }

    [Fact]
    public async Task Should_report_not_ready_while_a_migration_is_not_applied()
    {
        var dataFile = _sandbox.PathOf("pending.db");
        var host = _sandbox.Start(dataFile, Uncached);
        await ExecuteAsync(dataFile, """
            CREATE TABLE "__KeptHistory" AS SELECT * FROM "__EFMigrationsHistory";
            DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = (SELECT MAX("MigrationId") FROM "__EFMigrationsHistory");
            """);

        var pending = await GetAsync(host, "/health/ready");

        pending.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ShouldBeStatusOnly(pending.Body, "Unhealthy")[DatabaseHealthCheck.Name].ShouldBe("Unhealthy");

        await ExecuteAsync(dataFile, """
            INSERT INTO "__EFMigrationsHistory" SELECT * FROM "__KeptHistory" WHERE "MigrationId" NOT IN (SELECT "MigrationId" FROM "__EFMigrationsHistory");
            DROP TABLE "__KeptHistory";
            """);
        (await GetAsync(host, "/health/ready")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Should_include_every_check_registered_with_the_ready_tag_and_leave_live_alone()
    {
        // Any check tagged HealthTags.Ready joins the readiness report.
        var host = _sandbox.Start("slot.db", configureServices: services => services.AddHealthChecks()
            .AddCheck("another-dependency", () => HealthCheckResult.Unhealthy("the worker stopped: secret detail"), [HealthTags.Ready]));

        var ready = await GetAsync(host, "/health/ready");
        var live = await GetAsync(host, "/health/live");

        ready.Status.ShouldBe(HttpStatusCode.ServiceUnavailable);
        ShouldBeStatusOnly(ready.Body, "Unhealthy").ShouldBe(new Dictionary<string, string>
        {
            [DatabaseHealthCheck.Name] = "Healthy",
            [BusHealthCheck.Name] = "Healthy",
            ["another-dependency"] = "Unhealthy",
        });
        ready.Body.ShouldNotContain("secret detail");
        live.Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Should_run_the_readiness_checks_once_for_a_flood_of_concurrent_requests()
    {
        // Anyone may call the endpoint: 40 threads asking at once must not slow the administrators down.
        var runs = 0;
        var host = _sandbox.Start("flood.db", new Dictionary<string, string> { ["Health:ReadyCacheSeconds"] = "3600" }, configureServices: services =>
            services.AddHealthChecks().AddCheck("counted", () =>
            {
                Interlocked.Increment(ref runs);
                return HealthCheckResult.Healthy();
            }, [HealthTags.Ready]));

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(() => GetAsync(host, "/health/ready"))));

        answers.ShouldAllBe(a => a.Status == HttpStatusCode.OK);
        ShouldBeStatusOnly(answers[0].Body, "Healthy").Keys.ShouldBe([DatabaseHealthCheck.Name, BusHealthCheck.Name, "counted"], ignoreOrder: true);
        runs.ShouldBe(1, "the checks ran once; every other request got that answer");
    }

    [Fact]
    public async Task Should_answer_ready_while_a_writer_holds_the_write_lock_without_waiting_for_it()
    {
        var dataFile = _sandbox.PathOf("locked.db");
        var host = _sandbox.Start(dataFile, Uncached);
        await using var writer = new SqliteConnection($"Data Source={dataFile};Pooling=False;Default Timeout=1");
        await writer.OpenAsync(TestContext.Current.CancellationToken);
        await using (var begin = writer.CreateCommand())
        {
            begin.CommandText = "PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; CREATE TABLE held_by_the_test (x INTEGER);";
            await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // A check that took the write lock would wait for it (the busy timeout) and then fail as "locked".
        var report = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(c => c.Tags.Contains(HealthTags.Ready), TestContext.Current.CancellationToken);
        var ready = await GetAsync(host, "/health/ready");

        report.Entries.ToDictionary(e => e.Key, e => e.Value.Status).ShouldBe(new Dictionary<string, HealthStatus>
        {
            [DatabaseHealthCheck.Name] = HealthStatus.Healthy,
            [BusHealthCheck.Name] = HealthStatus.Healthy,
        });
        ready.Status.ShouldBe(HttpStatusCode.OK);
        await using (var stillHeld = writer.CreateCommand())
        {
            stillHeld.CommandText = "INSERT INTO held_by_the_test VALUES (1); ROLLBACK;";
            await stillHeld.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }
}

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
        var host = _sandbox.Start("stopped-worker.db");
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
        var host = _sandbox.Start(dataFile);

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
        var host = _sandbox.Start(dataFile);
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
}

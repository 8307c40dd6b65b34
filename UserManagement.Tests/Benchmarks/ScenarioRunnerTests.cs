using Microsoft.EntityFrameworkCore;
using UserManagement.Benchmarks.Scenarios;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Seeding;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Benchmarks;

/// <summary>
/// The benchmarks' scenario runner works end to end on a small seeded database. No time is asserted: the
/// figures live in docs/benchmarks.md; this only proves the runner still runs against today's handlers.
/// </summary>
[OneProvider("The benchmarks' scenario runner and its raw baselines are on SQLite until the PostgreSQL benchmarks (issue 24, step 13).")]
public sealed class ScenarioRunnerTests : AppTests
{
    [Fact]
    public async Task Should_run_every_scenario_against_the_real_handlers_on_twenty_thousand_users()
    {
        var seeded = await App.Get<DemoUsers>().SeedAsync(20_000, append: false, cancellationToken: TestContext.Current.CancellationToken);
        seeded.Added.ShouldBe(20_000);
        var log = new StringWriter();

        var results = await new ScenarioRunner(
            new ScenarioOptions(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(App.ConnectionString).DataSource, Iterations: 14, Warmup: 1, ScanIterations: 1,
                AuditDatabase: Path.Combine(App.Directory, "audit.db"), AuditEntries: 20_000), log)
            .RunAsync();

        results.Select(r => r.Name).ShouldContain(n => n.StartsWith("List page (25 rows) with total", StringComparison.Ordinal));
        results.Select(r => r.Name).ShouldContain(n => n.StartsWith("Jump to an arbitrary page", StringComparison.Ordinal));
        results.Select(r => r.Name).ShouldContain(n => n.StartsWith("Filter by role and status", StringComparison.Ordinal));
        results.Count(r => r.Name.StartsWith("Substring search", StringComparison.Ordinal)).ShouldBe(3);
        results.Select(r => r.Name).ShouldContain("Get user by id");
        results.Select(r => r.Name).ShouldContain(n => n.StartsWith("Create user", StringComparison.Ordinal));
        results.Single(r => r.Name.StartsWith(ExportScenario.Name, StringComparison.Ordinal)).Name.ShouldContain("20,000 rows");
        results.Count(r => r.Name.StartsWith("Audit page", StringComparison.Ordinal)).ShouldBe(5);
        results.ShouldAllBe(r => r.Handler.Count > 0 && r.Handler.Milliseconds.All(ms => ms >= 0));
        results.Where(r => r.Baseline != null).ShouldAllBe(r => r.Baseline!.Count > 0);
        log.ToString().ShouldContain("Scenarios on 20,000 users");
        log.ToString().ShouldContain("Audit scenarios on 20,000 entries");
    }
}

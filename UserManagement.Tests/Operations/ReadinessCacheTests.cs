using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UserManagement.Tests.Support;
using UserManagement.Web.Operations;

namespace UserManagement.Tests.Operations;

/// <summary>The readiness answer is shared: one run of the checks per period, by one caller at a time.</summary>
public sealed class ReadinessCacheTests
{
    /// <summary>Counts its runs; each run waits for the test to let it finish.</summary>
    private sealed class CountingChecks : HealthCheckService
    {
        private TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Runs;

        public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Finish()
        {
            var finish = _finish;
            _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
            Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
            finish.SetResult();
        }

        public override async Task<HealthReport> CheckHealthAsync(Func<HealthCheckRegistration, bool>? predicate, CancellationToken cancellationToken = default)
        {
            var run = Interlocked.Increment(ref Runs);
            var finish = _finish.Task;
            Started.TrySetResult();
            await finish;
            return new HealthReport(
                new Dictionary<string, HealthReportEntry> { [$"run {run}"] = new(HealthStatus.Healthy, null, TimeSpan.Zero, null, null) },
                TimeSpan.Zero);
        }
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_run_the_checks_once_for_concurrent_callers_and_once_more_after_the_period()
    {
        var checks = new CountingChecks();
        var clock = new FakeTimeProvider(TestApp.Start);
        using var cache = new ReadinessCache(checks, clock, Options.Create(new HealthOptions { ReadyCacheSeconds = 5 }));

        var first = Enumerable.Range(0, 40).Select(_ => Task.Run(() => cache.GetAsync(TestContext.Current.CancellationToken))).ToList();
        await checks.Started.Task.WaitAsync(Wait, TestContext.Current.CancellationToken);
        checks.Finish();
        var reports = await Task.WhenAll(first).WaitAsync(Wait, TestContext.Current.CancellationToken);

        checks.Runs.ShouldBe(1);
        reports.Select(r => r.Entries.Keys.Single()).Distinct().ShouldBe(["run 1"]);

        clock.Advance(TimeSpan.FromSeconds(4.9));
        (await cache.GetAsync(TestContext.Current.CancellationToken)).Entries.Keys.ShouldBe(["run 1"]);

        clock.Advance(TimeSpan.FromSeconds(0.1));
        var second = Enumerable.Range(0, 40).Select(_ => Task.Run(() => cache.GetAsync(TestContext.Current.CancellationToken))).ToList();
        await checks.Started.Task.WaitAsync(Wait, TestContext.Current.CancellationToken);
        checks.Finish();
        (await Task.WhenAll(second).WaitAsync(Wait, TestContext.Current.CancellationToken)).Select(r => r.Entries.Keys.Single()).Distinct().ShouldBe(["run 2"]);
        checks.Runs.ShouldBe(2);
    }

    [Fact]
    public async Task Should_run_the_checks_for_every_call_when_the_period_is_zero()
    {
        var checks = new CountingChecks();
        using var cache = new ReadinessCache(checks, new FakeTimeProvider(TestApp.Start), Options.Create(new HealthOptions { ReadyCacheSeconds = 0 }));

        for (var i = 1; i <= 3; i++)
        {
            var call = cache.GetAsync(TestContext.Current.CancellationToken);
            await checks.Started.Task.WaitAsync(Wait, TestContext.Current.CancellationToken);
            checks.Finish();
            (await call.WaitAsync(Wait, TestContext.Current.CancellationToken)).Entries.Keys.ShouldBe([$"run {i}"]);
        }

        checks.Runs.ShouldBe(3);
    }
}

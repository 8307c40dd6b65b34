using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Bus;
using UserManagement.Web;

namespace UserManagement.Benchmarks.Scenarios;

/// <summary>
/// How long a committed change takes to reach this node's subscribers (the live updates' promise is 1 s), through the
/// bus's outbox (ADR 0021) against in-process publishing, on fresh database files with the bus running as in the app:
/// a user created and saved, one at a time; the time from the start of the save to the subscriber being called, and
/// the save's own duration (the outbox adds the envelope's insert and a transaction to a save that had none).
/// </summary>
public sealed class DomainEventLatencyScenario(int iterations, TextWriter log)
{
    public const string Name = "Domain event delivery: save start -> subscriber called";

    public async Task<(ScenarioResult Delivery, ScenarioResult Save)> RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "um-bench", "events-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var (outboxDelivery, outboxSave) = await MeasureAsync(Path.Combine(folder, "outbox.db"), DomainEventDelivery.Outbox);
            var (inProcessDelivery, inProcessSave) = await MeasureAsync(Path.Combine(folder, "in-process.db"), DomainEventDelivery.InProcess);
            var delivery = new ScenarioResult(
                Invariant($"{Name}, {iterations} saves"), outboxDelivery, "in process, within the save (ADR 0013)", inProcessDelivery,
                "outbox p95 ≤ 1,000 ms", outboxDelivery.P95 <= 1_000,
                Invariant($"outbox p50 {outboxDelivery.P50:0.0} ms, p95 {outboxDelivery.P95:0.0} ms, max {outboxDelivery.Milliseconds.Max():0.0} ms"));
            var save = new ScenarioResult(
                Invariant($"The save itself (SaveChangesAsync of one new user), {iterations} saves"), outboxSave, "in process", inProcessSave, null, null,
                Invariant($"outbox p50 {outboxSave.P50:0.0} ms, in process p50 {inProcessSave.P50:0.0} ms"));
            log.WriteLine(Invariant($"{delivery.Name}: {delivery.Note}; in process p50 {inProcessDelivery.P50:0.0} ms. {save.Name}: {save.Note}"));
            return (delivery, save);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<(Samples Delivery, Samples Save)> MeasureAsync(string file, DomainEventDelivery mode)
    {
        var delivered = new DeliveryClock();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = $"Data Source={file}",
            ["Bus:DomainEvents"] = mode.ToString(),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddUserManagement(configuration, AppContext.BaseDirectory);
        services.AddSingleton<ICurrentUser>(new ScenarioRunner.Administrator());
        services.AddSingleton<IDomainEventSubscriber<UserCreated>>(delivered);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        try
        {
            var factory = provider.GetRequiredService<IDbContextFactory<AppDbContext>>();
            var deliveries = new List<double>();
            var saves = await Samples.TimeAsync(20, iterations, async i =>
            {
                var email = Invariant($"latency{i}@example.com");
                var arrival = delivered.Expect(email);
                await using var db = await factory.CreateDbContextAsync();
                db.Users.Add(User.Create("Latency Probe", email, UserRole.Member, DateTime.UtcNow));
                var start = Stopwatch.GetTimestamp();
                await db.SaveChangesAsync();
                var at = await arrival.WaitAsync(TimeSpan.FromSeconds(30));
                if (i >= 0)
                {
                    deliveries.Add(Stopwatch.GetElapsedTime(start, at).TotalMilliseconds);
                }
            });
            return (new Samples(deliveries), saves);
        }
        finally
        {
            foreach (var service in Enumerable.Reverse(hosted))
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Notes the moment each expected user's creation reaches a subscriber.</summary>
    private sealed class DeliveryClock : IDomainEventSubscriber<UserCreated>
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _expected = new(StringComparer.Ordinal);

        public Task<long> Expect(string email) =>
            _expected.GetOrAdd(email, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public ValueTask HandleAsync(UserCreated domainEvent, OperationContext context, CancellationToken cancellationToken)
        {
            var now = Stopwatch.GetTimestamp();
            _expected.GetOrAdd(domainEvent.User.Email, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(now);
            return ValueTask.CompletedTask;
        }
    }
}

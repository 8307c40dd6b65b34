using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Bus;

/// <summary>
/// The outbox across a restart, on SQLite, where what a killed process leaves is a file an online backup can copy: the
/// restarted app delivers what the dead one committed. (On PostgreSQL the server keeps the committed state, and a
/// restarted app finds what was committed on the server.)
/// </summary>
public sealed class DomainEventRestartTests
{
    /// <summary>
    /// A node commits two changes while its delivery is stuck on the first: what is on disk then (an online backup: the
    /// committed state, exactly what a SIGKILL leaves) holds both events undelivered. The web app, started as a process of
    /// its own on that file, delivers them by itself: its Solo-mode bus takes the stored envelopes back at start.
    /// </summary>
    [Fact]
    public async Task Should_deliver_after_a_restart_the_events_a_node_committed_but_had_not_delivered()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var folder = new TempFolder("outbox");
        var snapshot = folder.File("killed.db");
        try
        {
            await using (var app = await TestApp.StartAsync(bus: true, configureServices: services =>
                services.AddSingleton<IDomainEventSubscriber<IDomainEvent>>(new BlockingSubscriber(gate.Task))))
            {
                await app.CreateUser("Stuck", "stuck@example.com");
                await app.Published.WaitForAsync<UserCreated>().WaitAsync(BusTables.Patience, TestContext.Current.CancellationToken);
                await app.CreateUser("Waiting", "waiting@example.com");
                app.Published.Events.OfType<UserCreated>().Count().ShouldBe(1, "the second is committed and waits behind the first");

                await using (var source = new SqliteConnection(app.ConnectionString))
                await using (var copy = new SqliteConnection($"Data Source={snapshot};Pooling=False"))
                {
                    await source.OpenAsync(TestContext.Current.CancellationToken);
                    await copy.OpenAsync(TestContext.Current.CancellationToken);
                    source.BackupDatabase(copy);
                    (await BusTables.EnvelopesAsync(copy, null)).ShouldBe(2, "both events are stored, neither delivered");
                }

                gate.SetResult();
            }

            await using var restarted = await AppProcess.StartAsync(settings: new Dictionary<string, string> { ["ConnectionStrings__Default"] = $"Data Source={snapshot}" });
            await using var connection = new SqliteConnection($"Data Source={snapshot};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await BusTables.WaitForNoPendingEnvelopesAsync(connection, string.Join('\n', restarted.Output.TakeLast(30)));
            (await BusTables.EnvelopesAsync(connection, null, status: "Handled")).ShouldBe(2, "both delivered after the restart");
            (await BusTables.DeadLettersAsync(connection)).ShouldBe(0);
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    private sealed class BlockingSubscriber(Task gate) : IDomainEventSubscriber<IDomainEvent>
    {
        public async ValueTask HandleAsync(IDomainEvent domainEvent, OperationContext context, CancellationToken cancellationToken) =>
            await gate.WaitAsync(cancellationToken);
    }
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Bus;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Bus;

/// <summary>
/// Domain events through the bus's outbox (ADR 0021), on real SQLite with the bus running: stored in the save's own
/// transaction, handed to the durable <c>domain-events</c> queue only after the commit, delivered in commit order to this
/// node's subscribers with the operation of the change.
/// </summary>
public sealed class DomainEventOutboxTests
{
    /// <summary>Generous for a loaded 2-core machine; delivery normally takes milliseconds (docs/benchmarks.md).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly OperationContext Ana = new(Guid.CreateVersion7(), "ana@example.com", "outbox-test-operation");

    [Fact]
    public async Task Should_store_the_events_in_the_saves_transaction_and_deliver_them_only_after_the_commit()
    {
        await using var app = await TestApp.StartAsync(bus: true);
        await using var db = await app.OpenDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        using (OperationContext.Begin(Ana))
        {
            db.Users.Add(User.Create("Grace Hopper", "grace@example.com", UserRole.Member, TestApp.Start.UtcDateTime));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        (await EnvelopesAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction())).ShouldBe(1, "the event's envelope is written in the save's transaction");
        (await EnvelopesAsync(app)).ShouldBe(0, "nothing is visible outside the transaction before it commits");
        app.Published.Events.ShouldBeEmpty("nothing is delivered before the commit");

        await transaction.CommitAsync(TestContext.Current.CancellationToken);

        var created = await app.Published.WaitForAsync<UserCreated>().WaitAsync(Patience, TestContext.Current.CancellationToken);
        created.User.Email.ShouldBe("grace@example.com");
        var delivered = app.Published.All.ShouldHaveSingleItem();
        delivered.Context.ShouldBe(Ana, "who made the change and its correlation id travel with the event");
        delivered.CommittedEntriesOfItsOperation.ShouldBe(1, "delivered after the commit: the audit entry of the same operation was visible");
        await WaitForNoPendingEnvelopesAsync(app);
    }

    [Fact]
    public async Task Should_store_and_deliver_nothing_when_the_transaction_rolls_back()
    {
        await using var app = await TestApp.StartAsync(bus: true);
        await using (var db = await app.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            db.Users.Add(User.Create("Rolled Back", "rolled@example.com", UserRole.Member, TestApp.Start.UtcDateTime));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            (await EnvelopesAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction())).ShouldBe(1);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        (await EnvelopesAsync(app)).ShouldBe(0, "the rollback took the envelope with the change");

        // The queue is sequential: once a later change is delivered, an earlier one would have been too.
        await app.CreateUser("Kept", "kept@example.com");
        await app.Published.WaitForAsync<UserCreated>().WaitAsync(Patience, TestContext.Current.CancellationToken);
        app.Published.Events.OfType<UserCreated>().Select(e => e.User.Email).ShouldBe(["kept@example.com"]);
    }

    [Fact]
    public async Task Should_store_and_deliver_nothing_when_the_commit_of_a_save_outside_a_transaction_fails()
    {
        await using var app = await TestApp.StartAsync(bus: true);

        app.Faults.FailNextCommit();
        await Should.ThrowAsync<InjectedFaultException>(async () =>
            await app.Send(new CreateUserCommand("Never Stored", "never@example.com", UserRole.Member)));

        (await app.StoredUsersAsync()).ShouldBeEmpty();
        (await EnvelopesAsync(app)).ShouldBe(0);
        await app.CreateUser("Kept", "kept@example.com");
        await app.Published.WaitForAsync<UserCreated>().WaitAsync(Patience, TestContext.Current.CancellationToken);
        app.Published.Events.OfType<UserCreated>().Select(e => e.User.Email).ShouldBe(["kept@example.com"]);
    }

    [Fact]
    public async Task Should_deliver_every_event_in_commit_order_as_it_was_raised()
    {
        await using var bus = await TestApp.StartAsync(bus: true);
        await using var inProcess = await TestApp.StartAsync();

        foreach (var app in new[] { bus, inProcess })
        {
            for (var n = 0; n < 10; n++)
            {
                var user = await app.CreateUser($"User {n}", $"user{n}@example.com");
                var version = (await app.Send(new UpdateUserCommand(user.Id, $"Renamed {n}", $"renamed{n}@example.com", UserRole.Member, user.Version))).Value;
                version = (await app.Send(new SetUserStatusCommand(user.Id, UserStatus.Disabled, version))).Value;
                (await app.Send(new DeleteUserCommand(user.Id, version))).IsSuccess.ShouldBeTrue();
            }
        }

        await bus.Published.WaitForAsync<UserDeleted>(10).WaitAsync(Patience, TestContext.Current.CancellationToken);
        var expected = inProcess.Published.All;
        var delivered = bus.Published.All;
        delivered.Select(p => p.Event.GetType().Name).ShouldBe(expected.Select(p => p.Event.GetType().Name), "the same events, in the order they were committed");
        Normalized(delivered).ShouldBe(Normalized(expected), "each event arrives with every field as it was raised (the user ids differ between the two apps)");
        delivered.ShouldAllBe(p => p.Context.ActorId == TestCurrentUser.Administrator.UserId && p.Context.ActorName == TestCurrentUser.Administrator.Email);
        delivered.ShouldAllBe(p => p.CommittedEntriesOfItsOperation > 0);
    }

    [Fact]
    public async Task Should_publish_in_process_when_configured_so()
    {
        await using var app = await TestApp.StartAsync(bus: true, new Dictionary<string, string?> { ["Bus:DomainEvents"] = nameof(DomainEventDelivery.InProcess) });

        await app.CreateUser("Ada", "ada@example.com");

        app.Published.Events.OfType<UserCreated>().ShouldHaveSingleItem("published within the save, as before the outbox");
        (await EnvelopesAsync(app)).ShouldBe(0);
    }

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
                await app.Published.WaitForAsync<UserCreated>().WaitAsync(Patience, TestContext.Current.CancellationToken);
                await app.CreateUser("Waiting", "waiting@example.com");
                app.Published.Events.OfType<UserCreated>().Count().ShouldBe(1, "the second is committed and waits behind the first");

                await using (var source = new SqliteConnection(app.ConnectionString))
                await using (var copy = new SqliteConnection($"Data Source={snapshot};Pooling=False"))
                {
                    await source.OpenAsync(TestContext.Current.CancellationToken);
                    await copy.OpenAsync(TestContext.Current.CancellationToken);
                    source.BackupDatabase(copy);
                    (await EnvelopesAsync(copy, null)).ShouldBe(2, "both events are stored, neither delivered");
                }

                gate.SetResult();
            }

            await using var restarted = await AppProcess.StartAsync(settings: new Dictionary<string, string> { ["ConnectionStrings__Default"] = $"Data Source={snapshot}" });
            await using var connection = new SqliteConnection($"Data Source={snapshot};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await WaitForNoPendingEnvelopesAsync(connection, string.Join('\n', restarted.Output.TakeLast(30)));
            (await EnvelopesAsync(connection, null, status: "Handled")).ShouldBe(2, "both delivered after the restart");
            (await DeadLettersAsync(connection)).ShouldBe(0);
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    /// <summary>Each event as JSON, its user ids replaced by their order of appearance.</summary>
    private static List<string> Normalized(IReadOnlyList<PublishedEvents.Published> events)
    {
        var ids = new Dictionary<Guid, string>();
        return
        [
            .. events.Select(p =>
            {
                var user = ((IUserEvent)p.Event).User;
                var alias = ids.TryGetValue(user.Id, out var known) ? known : ids[user.Id] = $"user-{ids.Count}";
                return System.Text.Json.JsonSerializer.Serialize(p.Event, p.Event.GetType()).Replace(user.Id.ToString(), alias, StringComparison.Ordinal);
            }),
        ];
    }

    /// <summary>Envelopes of domain events waiting for delivery, as another connection sees them (committed only).</summary>
    internal static async Task<long> EnvelopesAsync(TestApp app)
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return await EnvelopesAsync(connection, null);
    }

    internal static async Task<long> EnvelopesAsync(DbConnection connection, DbTransaction? transaction, string status = "Incoming")
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM wolverine_incoming_envelopes WHERE message_type LIKE '%DeliverDomainEvents%' AND status = $status";
        command.Parameters.Add(new SqliteParameter("$status", status));
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    internal static async Task<long> DeadLettersAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM wolverine_dead_letters WHERE message_type LIKE '%DeliverDomainEvents%'";
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task WaitForNoPendingEnvelopesAsync(TestApp app)
    {
        await using var connection = new SqliteConnection(app.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await WaitForNoPendingEnvelopesAsync(connection, "");
    }

    /// <summary>Polls until no domain-event envelope waits for delivery (handled ones stay a while, marked so).</summary>
    internal static async Task WaitForNoPendingEnvelopesAsync(DbConnection connection, string context)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await EnvelopesAsync(connection, null) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Domain events' envelopes still wait for delivery after {Patience}. {context}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private sealed class BlockingSubscriber(Task gate) : IDomainEventSubscriber<IDomainEvent>
    {
        public async ValueTask HandleAsync(IDomainEvent domainEvent, OperationContext context, CancellationToken cancellationToken) =>
            await gate.WaitAsync(cancellationToken);
    }
}

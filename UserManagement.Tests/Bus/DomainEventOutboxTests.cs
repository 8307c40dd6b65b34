using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Bus;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Bus;

/// <summary>
/// Domain events through the bus's outbox (ADR 0021), on each provider with the bus running: stored in the save's own
/// transaction, handed to the durable <c>domain-events</c> queue only after the commit, delivered in commit order to this
/// node's subscribers with the operation of the change.
/// </summary>
public abstract class DomainEventOutboxTests(DatabaseProvider provider)
{
    private static readonly TimeSpan Patience = BusTables.Patience;

    private static readonly OperationContext Ana = new(Guid.CreateVersion7(), "ana@example.com", "outbox-test-operation");

    [Fact]
    public async Task Should_store_the_events_in_the_saves_transaction_and_deliver_them_only_after_the_commit()
    {
        await using var app = await TestApp.StartAsync(bus: true, provider: provider);
        await using var db = await app.OpenDbAsync();
        await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
        using (OperationContext.Begin(Ana))
        {
            db.Users.Add(User.Create("Grace Hopper", "grace@example.com", UserRole.Member, TestApp.Start.UtcDateTime));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        (await BusTables.EnvelopesAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction())).ShouldBe(1, "the event's envelope is written in the save's transaction");
        (await BusTables.EnvelopesAsync(app.Database)).ShouldBe(0, "nothing is visible outside the transaction before it commits");
        app.Published.Events.ShouldBeEmpty("nothing is delivered before the commit");

        await transaction.CommitAsync(TestContext.Current.CancellationToken);

        var created = await app.Published.WaitForAsync<UserCreated>().WaitAsync(Patience, TestContext.Current.CancellationToken);
        created.User.Email.ShouldBe("grace@example.com");
        var delivered = app.Published.All.ShouldHaveSingleItem();
        delivered.Context.ShouldBe(Ana, "who made the change and its correlation id travel with the event");
        delivered.CommittedEntriesOfItsOperation.ShouldBe(1, "delivered after the commit: the audit entry of the same operation was visible");
        await BusTables.WaitForNoPendingEnvelopesAsync(app.Database);
    }

    [Fact]
    public async Task Should_store_and_deliver_nothing_when_the_transaction_rolls_back()
    {
        await using var app = await TestApp.StartAsync(bus: true, provider: provider);
        await using (var db = await app.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            db.Users.Add(User.Create("Rolled Back", "rolled@example.com", UserRole.Member, TestApp.Start.UtcDateTime));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            (await BusTables.EnvelopesAsync(db.Database.GetDbConnection(), transaction.GetDbTransaction())).ShouldBe(1);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        (await BusTables.EnvelopesAsync(app.Database)).ShouldBe(0, "the rollback took the envelope with the change");

        // The queue is sequential: once a later change is delivered, an earlier one would have been too.
        await app.CreateUser("Kept", "kept@example.com");
        await app.Published.WaitForAsync<UserCreated>().WaitAsync(Patience, TestContext.Current.CancellationToken);
        app.Published.Events.OfType<UserCreated>().Select(e => e.User.Email).ShouldBe(["kept@example.com"]);
    }

    [Fact]
    public async Task Should_store_and_deliver_nothing_when_the_commit_of_a_save_outside_a_transaction_fails()
    {
        await using var app = await TestApp.StartAsync(bus: true, provider: provider);

        app.Faults.FailNextCommit();
        await Should.ThrowAsync<InjectedFaultException>(async () =>
            await app.Send(new CreateUserCommand("Never Stored", "never@example.com", UserRole.Member)));

        (await app.StoredUsersAsync()).ShouldBeEmpty();
        (await BusTables.EnvelopesAsync(app.Database)).ShouldBe(0);
        await app.CreateUser("Kept", "kept@example.com");
        await app.Published.WaitForAsync<UserCreated>().WaitAsync(Patience, TestContext.Current.CancellationToken);
        app.Published.Events.OfType<UserCreated>().Select(e => e.User.Email).ShouldBe(["kept@example.com"]);
    }

    [Fact]
    public async Task Should_deliver_every_event_in_commit_order_as_it_was_raised()
    {
        await using var bus = await TestApp.StartAsync(bus: true, provider: provider);
        await using var inProcess = await TestApp.StartAsync(provider: provider);

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
        await using var app = await TestApp.StartAsync(bus: true, new Dictionary<string, string?> { ["Bus:DomainEvents"] = nameof(DomainEventDelivery.InProcess) }, provider: provider);

        await app.CreateUser("Ada", "ada@example.com");

        app.Published.Events.OfType<UserCreated>().ShouldHaveSingleItem("published within the save, as before the outbox");
        (await BusTables.EnvelopesAsync(app.Database)).ShouldBe(0);
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

    public sealed class OnSqlite() : DomainEventOutboxTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : DomainEventOutboxTests(DatabaseProvider.PostgreSQL);
}

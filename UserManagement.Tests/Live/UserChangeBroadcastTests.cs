using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;
using UserManagement.Web.Live;

namespace UserManagement.Tests.Live;

/// <summary>The broadcast the publisher feeds: every open page hears each committed change, and none can break a command.</summary>
public abstract class UserChangeBroadcastTests(DatabaseProvider provider) : AppTests(provider)
{
    [Fact]
    public async Task Should_tell_every_listener_after_commit_with_who_made_the_change()
    {
        var broadcast = App.Get<UserChangeBroadcast>();
        var heard = new List<UserChange>();
        using var subscription = broadcast.Subscribe(change =>
        {
            lock (heard)
            {
                heard.Add(change);
            }

            return Task.CompletedTask;
        });

        await App.SendAsAna(new CreateUserCommand("Ada", "ada@example.com", UserRole.Member));

        var created = heard.ShouldHaveSingleItem();
        created.Event.ShouldBeOfType<UserCreated>().User.Email.ShouldBe("ada@example.com");
        created.Context.ActorId.ShouldBe(Colleague.Ana.UserId);
        created.Context.ActorName.ShouldBe("ana@example.com");
    }

    [Fact]
    public async Task Should_keep_a_failing_listener_from_the_command_and_from_the_other_listeners()
    {
        var broadcast = App.Get<UserChangeBroadcast>();
        var heard = 0;
        using var failing = broadcast.Subscribe(_ => throw new InvalidOperationException("a dead circuit"));
        using var working = broadcast.Subscribe(_ =>
        {
            Interlocked.Increment(ref heard);
            return Task.CompletedTask;
        });

        (await App.Send(new CreateUserCommand("Ada", "ada@example.com", UserRole.Member))).ShouldSucceed();

        heard.ShouldBe(1);
        App.Logs.Records.ShouldContain(r => r.EventId.Id == 1320 && r.Message.Contains(nameof(UserCreated), StringComparison.Ordinal));
        (await App.StoredUsersAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_stop_telling_a_listener_once_its_subscription_is_disposed()
    {
        var broadcast = App.Get<UserChangeBroadcast>();
        var heard = 0;
        var subscription = broadcast.Subscribe(_ =>
        {
            Interlocked.Increment(ref heard);
            return Task.CompletedTask;
        });

        subscription.Dispose();
        (await App.Send(new CreateUserCommand("Ada", "ada@example.com", UserRole.Member))).ShouldSucceed();

        heard.ShouldBe(0);
        broadcast.ListenerCount.ShouldBe(0);
    }

    public sealed class OnSqlite() : UserChangeBroadcastTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : UserChangeBroadcastTests(DatabaseProvider.PostgreSQL);
}

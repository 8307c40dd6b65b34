using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

public abstract class SetUserStatusTests(DatabaseProvider provider) : AppTests(provider)
{
    [Fact]
    public async Task Should_disable_and_then_activate_the_user_moving_the_version_each_time()
    {
        var user = await App.CreateUser("Ada");
        App.Clock.Advance(TimeSpan.FromHours(1));

        var disabled = (await App.Send(new SetUserStatusCommand(user.Id, UserStatus.Disabled, user.Version))).ShouldSucceed();
        var afterDisable = (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed();
        afterDisable.Status.ShouldBe(UserStatus.Disabled);
        afterDisable.Version.ShouldBe(disabled);
        afterDisable.UpdatedAt.ShouldBe(TestApp.Start.AddHours(1).UtcDateTime);

        var activated = (await App.Send(new SetUserStatusCommand(user.Id, UserStatus.Active, disabled))).ShouldSucceed();
        activated.ShouldBe(disabled + 1);
        (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed().Status.ShouldBe(UserStatus.Active);
    }

    [Fact]
    public async Task Should_change_nothing_when_the_user_already_has_the_status()
    {
        var user = await App.CreateUser("Ada");

        (await App.Send(new SetUserStatusCommand(user.Id, UserStatus.Active, user.Version)))
            .ShouldSucceed().ShouldBe(user.Version);
    }

    [Fact]
    public async Task Should_return_not_found_when_the_user_does_not_exist()
    {
        (await App.Send(new SetUserStatusCommand(Guid.CreateVersion7(), UserStatus.Disabled, 1)))
            .ShouldFailWith<NotFoundError, long>();
    }

    [Fact]
    public async Task Should_return_a_conflict_and_keep_the_status_when_the_version_is_stale()
    {
        var loaded = await App.CreateUser("Ada");
        (await App.Send(new UpdateUserCommand(loaded.Id, "Ada King", loaded.Email, loaded.Role, loaded.Version)))
            .ShouldSucceed();

        var conflict = (await App.Send(new SetUserStatusCommand(loaded.Id, UserStatus.Disabled, loaded.Version)))
            .ShouldFailWith<ConflictError<UserDetails>, long>();

        conflict.Current.Status.ShouldBe(UserStatus.Active);
        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Status.ShouldBe(UserStatus.Active);
    }

    [Fact]
    public async Task Should_refuse_on_status_when_the_status_is_unknown()
    {
        var user = await App.CreateUser("Ada");

        (await App.Send(new SetUserStatusCommand(user.Id, (UserStatus)9, user.Version)))
            .ShouldFailOnField(nameof(SetUserStatusCommand.Status))
            .ShouldBe(["Choose a status: Active or Disabled."]);
    }

    public sealed class OnSqlite() : SetUserStatusTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : SetUserStatusTests(DatabaseProvider.PostgreSQL);
}

using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

public sealed class SetUserStatusTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Should_disable_and_then_activate_the_user_moving_the_version_each_time()
    {
        var user = await _app.CreateUser("Ada");
        _app.Clock.Advance(TimeSpan.FromHours(1));

        var disabled = (await _app.Send(new SetUserStatusCommand(user.Id, UserStatus.Disabled, user.Version))).ShouldSucceed();
        var afterDisable = (await _app.Send(new GetUserQuery(user.Id))).ShouldSucceed();
        afterDisable.Status.ShouldBe(UserStatus.Disabled);
        afterDisable.Version.ShouldBe(disabled);
        afterDisable.UpdatedAt.ShouldBe(TestApp.Start.AddHours(1).UtcDateTime);

        var activated = (await _app.Send(new SetUserStatusCommand(user.Id, UserStatus.Active, disabled))).ShouldSucceed();
        activated.ShouldBe(disabled + 1);
        (await _app.Send(new GetUserQuery(user.Id))).ShouldSucceed().Status.ShouldBe(UserStatus.Active);
    }

    [Fact]
    public async Task Should_change_nothing_when_the_user_already_has_the_status()
    {
        var user = await _app.CreateUser("Ada");

        (await _app.Send(new SetUserStatusCommand(user.Id, UserStatus.Active, user.Version)))
            .ShouldSucceed().ShouldBe(user.Version);
    }

    [Fact]
    public async Task Should_return_not_found_when_the_user_does_not_exist()
    {
        (await _app.Send(new SetUserStatusCommand(Guid.CreateVersion7(), UserStatus.Disabled, 1)))
            .ShouldFailWith<NotFoundError, long>();
    }

    [Fact]
    public async Task Should_return_a_conflict_and_keep_the_status_when_the_version_is_stale()
    {
        var loaded = await _app.CreateUser("Ada");
        (await _app.Send(new UpdateUserCommand(loaded.Id, "Ada King", loaded.Email, loaded.Role, loaded.Version)))
            .ShouldSucceed();

        var conflict = (await _app.Send(new SetUserStatusCommand(loaded.Id, UserStatus.Disabled, loaded.Version)))
            .ShouldFailWith<ConflictError<UserDetails>, long>();

        conflict.Current.Status.ShouldBe(UserStatus.Active);
        (await _app.StoredUsersAsync()).ShouldHaveSingleItem().Status.ShouldBe(UserStatus.Active);
    }

    [Fact]
    public async Task Should_refuse_on_status_when_the_status_is_unknown()
    {
        var user = await _app.CreateUser("Ada");

        (await _app.Send(new SetUserStatusCommand(user.Id, (UserStatus)9, user.Version)))
            .ShouldFailOnField(nameof(SetUserStatusCommand.Status))
            .ShouldBe(["Choose a status: Active or Disabled."]);
    }
}

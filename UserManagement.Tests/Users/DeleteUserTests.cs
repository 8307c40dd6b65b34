using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

public abstract class DeleteUserTests(DatabaseProvider provider) : AppTests(provider)
{
    [Fact]
    public async Task Should_remove_the_user_when_the_version_is_current()
    {
        var user = await App.CreateUser("Ada");
        var other = await App.CreateUser("Grace");

        (await App.Send(new DeleteUserCommand(user.Id, user.Version))).ShouldSucceed();

        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Id.ShouldBe(other.Id);
        (await App.Send(new GetUserQuery(user.Id))).ShouldFailWith<NotFoundError, UserDetails>();
    }

    [Fact]
    public async Task Should_return_not_found_when_the_user_does_not_exist()
    {
        (await App.Send(new DeleteUserCommand(Guid.CreateVersion7(), 1))).ShouldFailWith<NotFoundError>();
    }

    [Fact]
    public async Task Should_return_not_found_when_the_user_was_already_deleted()
    {
        var user = await App.CreateUser("Ada");
        (await App.Send(new DeleteUserCommand(user.Id, user.Version))).ShouldSucceed();

        (await App.Send(new DeleteUserCommand(user.Id, user.Version))).ShouldFailWith<NotFoundError>();
    }

    [Fact]
    public async Task Should_return_a_conflict_and_keep_the_user_when_the_version_is_stale()
    {
        var loaded = await App.CreateUser("Ada");
        (await App.Send(new UpdateUserCommand(loaded.Id, "Ada King", loaded.Email, loaded.Role, loaded.Version)))
            .ShouldSucceed();

        var conflict = (await App.Send(new DeleteUserCommand(loaded.Id, loaded.Version)))
            .ShouldFailWith<ConflictError<UserDetails>>();

        conflict.Current.Name.ShouldBe("Ada King");
        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Name.ShouldBe("Ada King");
    }

    [Fact]
    public async Task Should_refuse_an_empty_id_and_a_missing_version()
    {
        var error = (await App.Send(new DeleteUserCommand(Guid.Empty, 0))).ShouldFailWith<ValidationError>();

        error.Fields.Keys.Order().ShouldBe(["Id", "Version"]);
    }

    public sealed class OnSqlite() : DeleteUserTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : DeleteUserTests(DatabaseProvider.PostgreSQL);
}

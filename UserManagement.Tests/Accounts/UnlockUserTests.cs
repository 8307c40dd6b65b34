using UserManagement.Application.Accounts;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>An administrator lifts the lockout that wrong passwords caused: the user signs in again at once.</summary>
public abstract class UnlockUserTests(DatabaseProvider provider) : AppTests(provider)
{
    [Fact]
    public async Task Should_unlock_a_locked_user_so_they_can_sign_in_again()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", "the right password");
        for (var i = 0; i < SignInCommand.MaxFailedAttempts; i++)
        {
            await App.Send(new SignInCommand(ada.Email, "a wrong password", null));
        }

        var locked = (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed();
        locked.LockedUntil.ShouldNotBeNull();
        (await App.Send(new ListUsersQuery())).Value.Items.Single().LockedUntil.ShouldBe(locked.LockedUntil);

        (await App.Send(new UnlockUserCommand(ada.Id, locked.Version))).ShouldSucceed();

        (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed().LockedUntil.ShouldBeNull();
        (await App.Send(new SignInCommand(ada.Email, "the right password", null))).ShouldSucceed();
    }

    public sealed class OnSqlite() : UnlockUserTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : UnlockUserTests(DatabaseProvider.PostgreSQL);
}

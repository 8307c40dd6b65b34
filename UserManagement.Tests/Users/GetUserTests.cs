using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

public abstract class GetUserTests(DatabaseProvider provider) : AppTests(provider)
{
    [Fact]
    public async Task Should_return_the_details_of_the_user_when_it_exists()
    {
        var id = (await App.Send(new CreateUserCommand("Ada", "ada@example.com", UserRole.Administrator))).ShouldSucceed();

        var details = (await App.Send(new GetUserQuery(id))).ShouldSucceed();

        details.ShouldBe(new UserDetails(
            id, "Ada", "ada@example.com", UserRole.Administrator, UserStatus.Active,
            TestApp.Start.UtcDateTime, TestApp.Start.UtcDateTime, 1));
    }

    [Fact]
    public async Task Should_return_not_found_when_no_user_has_the_id()
    {
        await App.CreateUser("Ada");

        (await App.Send(new GetUserQuery(Guid.CreateVersion7()))).ShouldFailWith<NotFoundError, UserDetails>();
    }

    [Fact]
    public async Task Should_refuse_an_empty_id()
    {
        (await App.Send(new GetUserQuery(Guid.Empty))).ShouldFailOnField(nameof(GetUserQuery.Id));
    }

    [Fact]
    public async Task Should_show_the_last_sign_in_in_the_list_and_the_details()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", "the right password");
        App.Clock.Advance(TimeSpan.FromHours(1));
        (await App.Send(new SignInCommand(ada.Email, "the right password", null))).ShouldSucceed();

        var expected = TestApp.Start.AddHours(1).UtcDateTime;
        (await App.Send(new GetUserQuery(ada.Id))).Value.LastSignInAt.ShouldBe(expected);
        (await App.Send(new ListUsersQuery(SortBy: "lastSignInAt", Descending: true))).Value.Items[0].LastSignInAt.ShouldBe(expected);
    }

    public sealed class OnSqlite() : GetUserTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : GetUserTests(DatabaseProvider.PostgreSQL);
}

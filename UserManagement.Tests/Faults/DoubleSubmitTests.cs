using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>
/// Issue 11, fault 4, at the handlers: a save sent twice (a double click that got past the page, or a message
/// replayed by a reconnecting circuit) creates or changes exactly once. The page's own guard is in
/// <see cref="DoubleSubmitPageTests"/>.
/// </summary>
public abstract class DoubleSubmitTests(DatabaseProvider provider) : AppTests(provider)
{
    [Fact]
    public async Task Should_create_one_user_when_the_same_create_arrives_twice_at_once()
    {
        var command = new CreateUserCommand("Twice", "twice@example.com", UserRole.Member);

        var results = await Task.WhenAll(Task.Run(() => App.SendFromNewScope(command)), Task.Run(() => App.SendFromNewScope(command)));

        results.Count(r => r.IsSuccess).ShouldBe(1);
        results.Single(r => !r.IsSuccess).ShouldFailOnField(nameof(CreateUserCommand.Email));
        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Id.ShouldBe(results.Single(r => r.IsSuccess).Value);
    }

    [Fact]
    public async Task Should_create_one_user_when_the_same_create_is_replayed_after_it_succeeded()
    {
        var command = new CreateUserCommand("Replayed", "replayed@example.com", UserRole.Member);

        var first = await App.SendFromNewScope(command);
        var replay = await App.SendFromNewScope(command);

        first.ShouldSucceed();
        replay.ShouldFailOnField(nameof(CreateUserCommand.Email)).ShouldBe([UserValidationRules.DuplicateEmailMessage]);
        (await App.StoredUsersAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Should_change_a_user_once_when_the_same_save_arrives_twice()
    {
        var loaded = await App.CreateUser("Ada", "ada@example.com");
        var save = new UpdateUserCommand(loaded.Id, "Ada King", loaded.Email, UserRole.Administrator, loaded.Version);

        var results = await Task.WhenAll(Task.Run(() => App.SendFromNewScope(save)), Task.Run(() => App.SendFromNewScope(save)));
        var replay = await App.SendFromNewScope(save);

        results.Count(r => r.IsSuccess).ShouldBe(1);
        var stored = (await App.Send(new GetUserQuery(loaded.Id))).ShouldSucceed();
        stored.Version.ShouldBe(loaded.Version + 1, "changed exactly once");
        (stored.Name, stored.Role).ShouldBe(("Ada King", UserRole.Administrator));
        foreach (var repeated in results.Where(r => !r.IsSuccess).Append(replay))
        {
            // The repeat is told someone saved first, and sees that what is stored is already what it sent.
            repeated.ShouldFailWith<ConflictError<UserDetails>, long>().Current.ShouldBe(stored);
        }
    }

    public sealed class OnSqlite() : DoubleSubmitTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : DoubleSubmitTests(DatabaseProvider.PostgreSQL);
}

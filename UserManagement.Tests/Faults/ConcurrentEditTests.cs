using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>Issue 11, fault 2: concurrent edits never silently overwrite each other; an edit never brings back a deleted user.</summary>
public abstract class ConcurrentEditTests(DatabaseProvider provider) : AppTests(provider)
{
    private const int Rounds = 20;

    private static UpdateUserCommand Edit(UserDetails loaded, string name, UserRole? role = null) =>
        new(loaded.Id, name, loaded.Email, role ?? loaded.Role, loaded.Version);

    private async Task<UserDetails> Load(Guid id) => (await App.Send(new GetUserQuery(id))).ShouldSucceed();

    [Fact]
    public async Task Should_refuse_the_second_of_two_sessions_that_saved_what_they_loaded_and_keep_the_firsts_values()
    {
        var id = (await App.CreateUser("Ada", "ada@example.com")).Id;
        var inFirstSession = await Load(id);
        var inSecondSession = await Load(id);

        var first = await App.SendFromNewScope(Edit(inFirstSession, "First session's name"));
        var second = await App.SendFromNewScope(Edit(inSecondSession, "Second session's name", UserRole.Administrator));

        var firstVersion = first.ShouldSucceed();
        var conflict = second.ShouldFailWith<ConflictError<UserDetails>, long>();
        var stored = await Load(id);
        conflict.Current.ShouldBe(stored, "the conflict shows what is stored now");
        stored.Name.ShouldBe("First session's name");
        stored.Role.ShouldBe(UserRole.Member);
        stored.Version.ShouldBe(firstVersion);
    }

    [Fact]
    public async Task Should_store_only_the_winners_values_when_two_sessions_save_at_the_same_moment()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var loaded = await App.CreateUser($"Round {round}", $"round{round}@example.com");

            var results = await Task.WhenAll(
                Task.Run(() => App.SendFromNewScope(Edit(loaded, $"Left {round}"))),
                Task.Run(() => App.SendFromNewScope(Edit(loaded, $"Right {round}", UserRole.Administrator))));

            results.Count(r => r.IsSuccess).ShouldBe(1, $"round {round}: {results[0]} / {results[1]}");
            var winner = results[0].IsSuccess ? ($"Left {round}", UserRole.Member) : ($"Right {round}", UserRole.Administrator);
            var loser = results.Single(r => !r.IsSuccess).ShouldFailWith<ConflictError<UserDetails>, long>();
            var stored = await Load(loaded.Id);
            (stored.Name, stored.Role).ShouldBe(winner);
            stored.Version.ShouldBe(loaded.Version + 1);
            loser.Current.ShouldBe(stored);
        }
    }

    [Fact]
    public async Task Should_say_the_user_no_longer_exists_when_an_edit_comes_after_a_delete()
    {
        var loaded = await App.CreateUser("Grace", "grace@example.com");
        (await App.SendFromNewScope(new DeleteUserCommand(loaded.Id, loaded.Version))).ShouldSucceed();

        var edit = await App.SendFromNewScope(Edit(loaded, "Grace Hopper"));

        edit.ShouldFailWith<NotFoundError, long>().Message.ShouldContain("deleted");
        (await App.StoredUsersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_never_recreate_a_user_when_an_edit_races_its_delete()
    {
        var deletesWon = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var loaded = await App.CreateUser($"Racer {round}", $"racer{round}@example.com");

            var edit = Task.Run(() => App.SendFromNewScope(Edit(loaded, $"Edited {round}")));
            var delete = Task.Run(() => App.SendFromNewScope(new DeleteUserCommand(loaded.Id, loaded.Version)));
            var (edited, deleted) = (await edit, await delete);

            var stored = (await App.StoredUsersAsync()).Where(u => u.Email == loaded.Email || u.Id == loaded.Id).ToList();
            if (deleted.IsSuccess)
            {
                deletesWon++;
                edited.ShouldFailWith<NotFoundError, long>();
                stored.ShouldBeEmpty($"round {round}: the edit after the delete must not bring the user back");
            }
            else
            {
                edited.ShouldSucceed();
                deleted.ShouldFailWith<ConflictError<UserDetails>>();
                stored.ShouldHaveSingleItem().Name.ShouldBe($"Edited {round}");
            }
        }

        TestContext.Current.SendDiagnosticMessage($"Edit racing delete: the delete won {deletesWon} of {Rounds} rounds.");
    }

    public sealed class OnSqlite() : ConcurrentEditTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ConcurrentEditTests(DatabaseProvider.PostgreSQL);
}

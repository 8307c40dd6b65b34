using Microsoft.Data.Sqlite;
using UserManagement.Application.Users;
using UserManagement.Benchmarks.Browser;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Benchmarks;

/// <summary>The load's write check reads what the real update handler stored and audited.</summary>
[OneProvider("The benchmark ledger reads the SQLite file.")]
public sealed class WriteLedgerTests : AppTests
{
    private string Database => new SqliteConnectionStringBuilder(App.ConnectionString).DataSource;

    [Fact]
    public async Task Should_find_every_acknowledged_save_stored_and_audited_once()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var ledger = new WriteLedger(Database);
        foreach (var name in new[] { "Load C000 S00000", "Load C000 S00001" })
        {
            var current = (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed();
            (await App.Send(new UpdateUserCommand(ada.Id, name, current.Email, current.Role, current.Version))).ShouldSucceed();
            ledger.Acknowledged(ada.Id.ToString(), name);
        }

        (await ledger.VerifyAsync()).ShouldBe(new WriteCheck(Acknowledged: 2, Unacknowledged: 0, UsersEdited: 1, Lost: 0, MissingAudit: 0, DuplicatedAudit: 0));
    }

    [Fact]
    public async Task Should_count_an_acknowledged_name_the_database_never_got_as_lost_and_unaudited()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var ledger = new WriteLedger(Database);
        ledger.Acknowledged(ada.Id.ToString(), "Load C000 S00000");
        ledger.Unacknowledged();

        var check = await ledger.VerifyAsync();

        check.ShouldBe(new WriteCheck(Acknowledged: 1, Unacknowledged: 1, UsersEdited: 1, Lost: 1, MissingAudit: 1, DuplicatedAudit: 0));
        check.Clean.ShouldBeFalse();
    }

    [Fact]
    public async Task Should_give_each_context_members_of_its_own()
    {
        for (var i = 0; i < 6; i++)
        {
            await App.CreateUser($"Member {i}", $"member{i}@example.com");
        }

        var owned = await new WriteLedger(Database).AssignAsync(contexts: 3, perContext: 2);

        owned.Count.ShouldBe(3);
        owned.SelectMany(o => o).Distinct().Count().ShouldBe(6);
        await Should.ThrowAsync<InvalidOperationException>(() => new WriteLedger(Database).AssignAsync(contexts: 10, perContext: 2));
    }
}

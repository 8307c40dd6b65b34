using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Operations;

/// <summary>
/// A bug that escapes a message carries that message's correlation id out of the pipeline, so the page can show the
/// reference under which its audit entries and log lines were written.
/// </summary>
public abstract class ErrorCorrelationTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task Should_stamp_a_bug_with_the_correlation_id_its_audit_entries_carry()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        App.Commands.Clear();
        App.Faults.FailNextCommit();

        var bug = await Should.ThrowAsync<InjectedFaultException>(async () =>
            await App.Send(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, ada.Role, ada.Version)));

        var id = ErrorCorrelation.Of(bug).ShouldNotBeNull();
        id.ShouldMatch("^[0-9a-f]{32}$");
        App.Commands.Commands.Where(c => c.Sql.Contains("INSERT INTO \"AuditEntries\"", StringComparison.Ordinal))
            .SelectMany(c => c.Parameters).ShouldContain(p => Equals(p.Value, id));
    }

    [Fact]
    public async Task Should_stamp_a_bug_in_a_message_sent_by_someone_not_signed_in()
    {
        await App.CreateUserWithPassword("ada@example.com", Password);
        App.Faults.FailNextCommit();

        var bug = await Should.ThrowAsync<InjectedFaultException>(async () =>
            await App.Send(new SignInCommand("ada@example.com", Password, null)));

        ErrorCorrelation.Of(bug).ShouldNotBeNull().ShouldMatch("^[0-9a-f]{32}$");
    }

    [Fact]
    public void Should_keep_the_first_id_when_an_exception_passes_through_two_operations()
    {
        var bug = new InvalidOperationException("a bug");

        ErrorCorrelation.Attach(bug, "inner");
        ErrorCorrelation.Attach(bug, "outer");

        ErrorCorrelation.Of(bug).ShouldBe("inner");
        ErrorCorrelation.Of(new InvalidOperationException("from no message")).ShouldBeNull();
    }

    public sealed class OnSqlite() : ErrorCorrelationTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ErrorCorrelationTests(DatabaseProvider.PostgreSQL);
}

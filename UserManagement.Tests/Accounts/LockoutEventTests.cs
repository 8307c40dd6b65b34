using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>A lockout is published after its commit, so online administrators can hear of it, and recorded once.</summary>
public abstract class LockoutEventTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task Should_publish_the_lockout_after_commit_and_record_it_once_in_the_trail()
    {
        var user = await App.CreateUserWithPassword("grace@example.com", Password, name: "Grace Hopper");
        App.Published.Clear();

        for (var i = 0; i < SignInCommand.MaxFailedAttempts; i++)
        {
            (await App.Send(new SignInCommand(user.Email, "not the password at all", "203.0.113.9"))).IsSuccess.ShouldBeFalse();
        }

        var published = App.Published.All.Where(p => p.Event is UserLockedOut).ShouldHaveSingleItem();
        var lockout = (UserLockedOut)published.Event;
        lockout.User.ShouldBe(new UserRef(user.Id, "Grace Hopper", "grace@example.com"));
        lockout.LockedUntil.ShouldBe(App.Clock.GetUtcNow().UtcDateTime + SignInCommand.LockoutDuration);
        published.CommittedEntriesOfItsOperation.ShouldBeGreaterThan(0, "published only once committed");
        var entry = (await App.AuditEntriesAsync()).Where(e => e.Action == AuditActions.ForSecurityEvent(SecurityEventType.LockedOut)).ShouldHaveSingleItem();
        entry.TargetId.ShouldBe(user.Id);
        entry.TargetName.ShouldBe("Grace Hopper");
        entry.Detail.ShouldBe("locked for 15 minutes after 5 wrong passwords (from 203.0.113.9)");
    }

    public sealed class OnSqlite() : LockoutEventTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : LockoutEventTests(DatabaseProvider.PostgreSQL);
}

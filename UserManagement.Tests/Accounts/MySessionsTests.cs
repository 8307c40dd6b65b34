using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>Users see and end their own sessions (ASVS 5.0 7.5.2), and nobody else's.</summary>
public abstract class MySessionsTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Password = "a long enough password";

    private async Task<(UserDetails User, SignedIn Here, SignedIn Elsewhere)> SignedInTwice(string email = "ada@example.com")
    {
        var user = await App.CreateUserWithPassword(email, Password, UserRole.Administrator);
        var here = (await App.Send(new SignInCommand(email, Password, null))).ShouldSucceed();
        App.Clock.Advance(TimeSpan.FromMinutes(5));
        var elsewhere = (await App.Send(new SignInCommand(email, Password, null))).ShouldSucceed();
        App.Caller.ActAs(new Caller(user.Id, here.SessionId, user.Email, user.Role, MustChangePassword: false));
        return (user, here, elsewhere);
    }

    [Fact]
    public async Task Should_list_only_my_live_sessions_most_recent_first_and_mark_this_browser()
    {
        var (_, here, elsewhere) = await SignedInTwice();
        var ended = (await App.Send(new SignInCommand("ada@example.com", Password, null))).ShouldSucceed();
        await App.CreateUserWithPassword("bob@example.com", Password);
        (await App.Send(new SignInCommand("bob@example.com", Password, null))).ShouldSucceed();
        await using (var db = await App.OpenDbAsync())
        {
            (await db.Sessions.FindAsync([ended.SessionId], TestContext.Current.CancellationToken))!.End("test", App.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var sessions = (await App.Send(new ListMySessionsQuery())).ShouldSucceed();

        sessions.Select(s => (s.Id, s.IsCurrent)).ShouldBe([(elsewhere.SessionId, false), (here.SessionId, true)]);
        sessions[1].StartedAt.ShouldBe(TestApp.Start.UtcDateTime);
        sessions[1].ExpiresAt.ShouldBe(TestApp.Start.UtcDateTime + UserSession.AbsoluteLifetime);
    }

    [Fact]
    public async Task Should_leave_out_sessions_that_went_idle_or_expired()
    {
        var (_, here, elsewhere) = await SignedInTwice();
        (await App.ConfirmSessionAsync(here.SessionId)).ShouldNotBeNull(); // this browser is in use; the other one is not
        App.Clock.Advance(UserSession.IdleTimeout - TimeSpan.FromMinutes(1));
        (await App.ConfirmSessionAsync(here.SessionId)).ShouldNotBeNull();
        App.Clock.Advance(TimeSpan.FromMinutes(2));

        var sessions = (await App.Send(new ListMySessionsQuery())).ShouldSucceed();

        sessions.Select(s => s.Id).ShouldBe([here.SessionId], "the other browser has been idle for 31 minutes");
        (await App.ConfirmSessionAsync(elsewhere.SessionId)).ShouldBeNull();
    }

    [Fact]
    public async Task Should_end_one_of_my_sessions_so_that_browser_must_sign_in_again()
    {
        var (_, here, elsewhere) = await SignedInTwice();

        (await App.Send(new EndMySessionsCommand(elsewhere.SessionId))).ShouldSucceed().ShouldBe(1);

        (await App.ConfirmSessionAsync(elsewhere.SessionId)).ShouldBeNull();
        (await App.ConfirmSessionAsync(here.SessionId)).ShouldNotBeNull();
        (await App.SecurityEntriesAsync(SecurityEventType.SessionEnded)).ShouldHaveSingleItem().Detail.ShouldBe("1 session ended: ended by the user.");
    }

    [Fact]
    public async Task Should_end_all_my_other_sessions_and_keep_this_one()
    {
        var (_, here, elsewhere) = await SignedInTwice();
        var third = (await App.Send(new SignInCommand("ada@example.com", Password, null))).ShouldSucceed();

        (await App.Send(new EndMySessionsCommand(null))).ShouldSucceed().ShouldBe(2);

        (await App.ConfirmSessionAsync(here.SessionId)).ShouldNotBeNull();
        (await App.ConfirmSessionAsync(elsewhere.SessionId)).ShouldBeNull();
        (await App.ConfirmSessionAsync(third.SessionId)).ShouldBeNull();
    }

    [Fact]
    public async Task Should_count_only_the_live_sessions_it_ends_as_the_list_shows_them()
    {
        var (_, here, elsewhere) = await SignedInTwice();
        (await App.ConfirmSessionAsync(here.SessionId)).ShouldNotBeNull();
        App.Clock.Advance(UserSession.IdleTimeout - TimeSpan.FromMinutes(1));
        (await App.ConfirmSessionAsync(here.SessionId)).ShouldNotBeNull();
        App.Clock.Advance(TimeSpan.FromMinutes(2));
        var live = (await App.Send(new SignInCommand("ada@example.com", Password, null))).ShouldSucceed();
        (await App.Send(new ListMySessionsQuery())).ShouldSucceed().Count.ShouldBe(2, "this browser and the new sign-in; the other went idle");

        (await App.Send(new EndMySessionsCommand(elsewhere.SessionId)))
            .ShouldFailWith<NotFoundError, int>().Message.ShouldBe(EndMySessionsCommand.NotYours);
        (await App.Send(new EndMySessionsCommand(null))).ShouldSucceed().ShouldBe(1);

        (await App.ConfirmSessionAsync(live.SessionId)).ShouldBeNull();
        (await App.ConfirmSessionAsync(here.SessionId)).ShouldNotBeNull();
    }

    [Fact]
    public async Task Should_never_end_someone_elses_session()
    {
        await SignedInTwice();
        await App.CreateUserWithPassword("bob@example.com", Password);
        var bobs = (await App.Send(new SignInCommand("bob@example.com", Password, null))).ShouldSucceed();

        (await App.Send(new EndMySessionsCommand(bobs.SessionId)))
            .ShouldFailWith<NotFoundError, int>().Message.ShouldBe(EndMySessionsCommand.NotYours);
        (await App.Send(new EndMySessionsCommand(null))).ShouldSucceed().ShouldBe(1);

        (await App.ConfirmSessionAsync(bobs.SessionId)).ShouldNotBeNull();
    }

    public sealed class OnSqlite() : MySessionsTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : MySessionsTests(DatabaseProvider.PostgreSQL);
}

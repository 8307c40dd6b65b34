using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>
/// One rule for re-authentication (ADR 0025). Anything that grants or removes administrative power, or ends
/// another user's sessions, needs a password or code entered within five minutes, however it is done (the form, a row
/// action, a bulk action, an import); what touches no such power does not ask. The bus runs, so what is allowed goes
/// all the way through.
/// </summary>
public sealed class ReauthenticationRuleTests : IAsyncLifetime
{
    private const string Password = "a long enough password";

    private TestApp _app = null!;
    private SignedIn _session = null!;
    private UserDetails _admin = null!;
    private UserDetails _formerAdmin = null!;
    private UserDetails _member = null!;
    private UserDetails _disabledMember = null!;

    private TestApp App => _app;

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync(bus: true);
        await App.CreateUserWithPassword("root@example.com", Password, UserRole.Administrator);
        _admin = await App.CreateUserWithPassword("second.admin@example.com", Password, UserRole.Administrator, "Second Admin");
        _formerAdmin = await Disabled(await App.CreateUser("Former Admin", "former.admin@example.com", UserRole.Administrator));
        _member = await App.CreateUser("Some Member", "some.member@example.com");
        _disabledMember = await Disabled(await App.CreateUser("Gone Member", "gone.member@example.com"));
        _session = (await App.Send(new SignInCommand("root@example.com", Password, null))).ShouldSucceed();

        // The password was entered long enough ago that a sensitive action must ask for it again.
        App.Clock.Advance(Reauthentication.Window + TimeSpan.FromSeconds(1));
        App.Caller.ActAsSession(App.Get<SessionValidator>(), _session.SessionId);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<UserDetails> Disabled(UserDetails user)
    {
        (await App.Send(new SetUserStatusCommand(user.Id, UserStatus.Disabled, user.Version))).ShouldSucceed();
        return (await App.Send(new GetUserQuery(user.Id))).Value;
    }

    private static byte[] ImportOf(params string[] roles) =>
        ImportFiles.Csv([ImportFiles.Header, .. roles.Select((role, i) => $"Imported {i},imported{i}@example.com,{role}")]);

    /// <summary>Each way of granting or removing administrative power, or of ending another user's sessions.</summary>
    public static TheoryData<string> Sensitive =>
    [
        "create an administrator", "import a file with an administrator row", "promote a member", "demote an administrator",
        "disable an administrator", "activate a disabled administrator", "disable an administrator on the form",
        "disable a selection holding an administrator", "activate all matching, a disabled administrator among them",
        "delete an administrator", "bulk delete members", "end an administrator's sessions", "end a member's sessions",
    ];

    /// <summary>What touches no administrative power.</summary>
    public static TheoryData<string> Ordinary =>
    [
        "create a member", "import a file of members", "rename an administrator", "disable a member", "activate a member",
        "disable a selection of members", "disable all matching members", "unlock an administrator",
    ];

    private async Task<IOutcome> SendAsync(string action) => action switch
    {
        "create an administrator" => await App.Send(new CreateUserCommand("New Admin", "new.admin@example.com", UserRole.Administrator)),
        "import a file with an administrator row" => await App.Send(new StartImportCommand("people.csv", ImportOf("Member", "administrator", "Member"))),
        "promote a member" => await App.Send(new UpdateUserCommand(_member.Id, _member.Name, _member.Email, UserRole.Administrator, _member.Version)),
        "demote an administrator" => await App.Send(new UpdateUserCommand(_admin.Id, _admin.Name, _admin.Email, UserRole.Member, _admin.Version)),
        "disable an administrator" => await App.Send(new SetUserStatusCommand(_admin.Id, UserStatus.Disabled, _admin.Version)),
        "activate a disabled administrator" => await App.Send(new SetUserStatusCommand(_formerAdmin.Id, UserStatus.Active, _formerAdmin.Version)),
        "disable an administrator on the form" =>
            await App.Send(new UpdateUserCommand(_admin.Id, _admin.Name, _admin.Email, _admin.Role, _admin.Version, UserStatus.Disabled)),
        "disable a selection holding an administrator" =>
            await App.Send(new StartBulkUserActionCommand(BulkUserAction.Disable, BulkSelection.Of(_member.Id, _admin.Id))),
        "activate all matching, a disabled administrator among them" =>
            await App.Send(new StartBulkUserActionCommand(BulkUserAction.Activate, BulkSelection.AllMatching(new UserListFilter(Status: UserStatus.Disabled)))),
        "delete an administrator" => await App.Send(new DeleteUserCommand(_admin.Id, _admin.Version)),
        "bulk delete members" => await App.Send(new StartBulkUserActionCommand(BulkUserAction.Delete, BulkSelection.Of(_member.Id))),
        "end an administrator's sessions" => await App.Send(new EndUserSessionsCommand(_admin.Id)),
        "end a member's sessions" => await App.Send(new EndUserSessionsCommand(_member.Id)),
        "create a member" => await App.Send(new CreateUserCommand("New Member", "new.member@example.com", UserRole.Member)),
        "import a file of members" => await App.Send(new StartImportCommand("people.csv", ImportOf("Member", "member"))),
        "rename an administrator" => await App.Send(new UpdateUserCommand(_admin.Id, "Renamed Admin", _admin.Email, _admin.Role, _admin.Version)),
        "disable a member" => await App.Send(new SetUserStatusCommand(_member.Id, UserStatus.Disabled, _member.Version)),
        "activate a member" => await App.Send(new SetUserStatusCommand(_disabledMember.Id, UserStatus.Active, _disabledMember.Version)),
        "disable a selection of members" => await App.Send(new StartBulkUserActionCommand(BulkUserAction.Disable, BulkSelection.Of(_member.Id))),
        "disable all matching members" =>
            await App.Send(new StartBulkUserActionCommand(BulkUserAction.Disable, BulkSelection.AllMatching(new UserListFilter(Role: UserRole.Member)))),
        "unlock an administrator" => await App.Send(new UnlockUserCommand(_admin.Id, _admin.Version)),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "No such case."),
    };

    /// <summary>Users, jobs and sessions as stored: a refused action must leave them all as they were.</summary>
    private async Task<string> StoredStateAsync()
    {
        await using var db = await App.OpenDbAsync();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => $"{u.Id} {u.Version} {u.Role} {u.Status}").ToListAsync(TestContext.Current.CancellationToken);
        var jobs = await db.Jobs.CountAsync(TestContext.Current.CancellationToken);
        var ended = await db.Sessions.CountAsync(s => s.EndedAt != null, TestContext.Current.CancellationToken);
        return $"{string.Join("; ", users)} | jobs {jobs} | ended sessions {ended}";
    }

    [Theory]
    [MemberData(nameof(Sensitive))]
    public async Task Should_ask_for_the_password_again_before_anything_that_grants_or_removes_administrative_power(string action)
    {
        var before = await StoredStateAsync();

        (await SendAsync(action)).Error.ShouldBeOfType<ReauthenticationRequiredError>(action);

        (await StoredStateAsync()).ShouldBe(before, "nothing was done");
        App.Logs.Lines.ShouldContain(l => l.Contains("re-authentication required", StringComparison.Ordinal));

        (await App.Send(new ReauthenticateCommand(Password))).ShouldSucceed();
        (await SendAsync(action)).Error.ShouldBeNull(action);
    }

    [Theory]
    [MemberData(nameof(Ordinary))]
    public async Task Should_not_ask_again_for_what_touches_no_administrative_power(string action)
    {
        (await SendAsync(action)).Error.ShouldBeNull(action);
    }

    [Fact]
    public async Task Should_decide_from_the_stored_user_so_an_unchanged_role_or_status_asks_nothing()
    {
        var power = App.Get<AdministrativePower>();

        (await power.ChangesAsync(_admin.Id, UserRole.Administrator, UserStatus.Active, TestContext.Current.CancellationToken)).ShouldBeFalse();
        (await power.ChangesAsync(_formerAdmin.Id, null, UserStatus.Disabled, TestContext.Current.CancellationToken)).ShouldBeFalse();
        (await power.ChangesAsync(_formerAdmin.Id, UserRole.Member, null, TestContext.Current.CancellationToken)).ShouldBeTrue("demoting a disabled administrator");
        (await power.ChangesAsync(Guid.CreateVersion7(), UserRole.Administrator, null, TestContext.Current.CancellationToken)).ShouldBeFalse("no such user: the handler says so");
        (await power.AnyAdministratorAsync(new UserListFilter(Search: "member"), TestContext.Current.CancellationToken)).ShouldBeFalse();
        (await power.AnyAdministratorAsync(new UserListFilter(Search: "admin"), TestContext.Current.CancellationToken)).ShouldBeTrue();
    }
}

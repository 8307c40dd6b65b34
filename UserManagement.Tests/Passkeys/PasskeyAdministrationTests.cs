using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Passkeys;

/// <summary>
/// An administrator removing another user's passkey, Security:RequirePasskeyForAdministrators, and the passkey
/// settings the app refuses to start with.
/// </summary>
public sealed class PasskeyAdministrationTests : IAsyncDisposable
{
    private const string Password = "a long enough password";

    private TestApp? _app;

    private TestApp App => _app!;

    private async Task StartAsync(bool requirePasskeys = false) =>
        _app = await PasskeyEnrolment.StartWithPasskeysAsync(requirePasskeys
            ? new Dictionary<string, string?> { ["Security:RequirePasskeyForAdministrators"] = "true" }
            : null);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>A user with a passkey and a live password session, which the app then acts as.</summary>
    private async Task<(UserDetails User, PasskeyItem Passkey, SignedIn Session)> UserWithPasskey(
        string email, SoftwareAuthenticator authenticator, UserRole role = UserRole.Member)
    {
        var user = await App.CreateUserWithPassword(email, Password, role);
        var session = await App.SignInAndActAs(email, Password);
        var passkey = await App.RegisterPasskey(authenticator, "Phone");
        return (user, passkey, session);
    }

    [Fact]
    public async Task Should_let_an_administrator_remove_another_users_passkey_end_their_sessions_and_record_who_did_it()
    {
        await StartAsync();
        using var authenticator = new SoftwareAuthenticator();
        var (user, passkey, session) = await UserWithPasskey("ada@example.com", authenticator);
        App.Caller.ActAs(TestCurrentUser.Administrator);
        await App.CreateUserWithPassword("boss@example.com", Password, UserRole.Administrator);
        var admin = await App.SignInAndActAs("boss@example.com", Password);

        (await App.Send(new ListUserPasskeysQuery(user.Id))).ShouldSucceed().ShouldHaveSingleItem().Name.ShouldBe("Phone");
        (await App.Send(new RemoveUserPasskeyCommand(user.Id, passkey.Id))).ShouldSucceed();

        (await App.Send(new ListUserPasskeysQuery(user.Id))).ShouldSucceed().ShouldBeEmpty();
        (await App.ConfirmSessionAsync(session.SessionId)).ShouldBeNull("the user's sessions ended");
        var entry = (await App.SecurityEntriesAsync(SecurityEventType.PasskeyRemoved)).ShouldHaveSingleItem();
        entry.TargetId.ShouldBe(user.Id);
        entry.ActorId.ShouldBe(admin.UserId);
        entry.Detail.ShouldBe("passkey \"Phone\" removed by an administrator; sessions ended");
        App.Caller.ActAsAnonymous();
        (await App.SignInWithPasskey(authenticator)).ShouldFailWith<PasskeyRefusedError, SignedIn>();
    }

    [Fact]
    public async Task Should_ask_the_administrator_to_confirm_it_is_them_before_removing_someones_passkey()
    {
        await StartAsync();
        using var authenticator = new SoftwareAuthenticator();
        var (user, passkey, _) = await UserWithPasskey("ada@example.com", authenticator);
        App.Caller.ActAs(TestCurrentUser.Administrator);
        App.Caller.ActAsNotRecentlyAuthenticated();

        (await App.Send(new RemoveUserPasskeyCommand(user.Id, passkey.Id))).ShouldFailWith<ReauthenticationRequiredError>();
        (await App.Send(new ListUserPasskeysQuery(user.Id))).ShouldSucceed().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_send_administrators_to_their_own_page_for_their_own_passkeys()
    {
        await StartAsync();
        using var authenticator = new SoftwareAuthenticator();
        var (user, passkey, _) = await UserWithPasskey("ada@example.com", authenticator, UserRole.Administrator);

        (await App.Send(new RemoveUserPasskeyCommand(user.Id, passkey.Id))).ShouldFailWith<ForbiddenError>()
            .Message.ShouldBe(RemoveUserPasskeyCommand.NotForYourself);
        App.Caller.ActAs(TestCurrentUser.Administrator);
        (await App.Send(new RemoveUserPasskeyCommand(user.Id, Guid.CreateVersion7()))).ShouldFailWith<NotFoundError>();
        (await App.Send(new ListUserPasskeysQuery(Guid.CreateVersion7()))).ShouldFailWith<NotFoundError, IReadOnlyList<PasskeyItem>>();
    }

    [Fact]
    public async Task Should_remove_a_users_passkeys_with_the_user()
    {
        await StartAsync();
        using var authenticator = new SoftwareAuthenticator();
        var (user, _, _) = await UserWithPasskey("ada@example.com", authenticator);
        App.Caller.ActAs(TestCurrentUser.Administrator);

        (await App.Send(new DeleteUserCommand(user.Id, user.Version))).ShouldSucceed();

        await using var db = await App.OpenDbAsync();
        (await db.Passkeys.CountAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
    }

    [Fact]
    public async Task Should_hold_an_administrators_password_session_until_it_proves_a_passkey_and_let_it_change_none_when_passkeys_are_required()
    {
        await StartAsync(requirePasskeys: true);
        using var authenticator = new SoftwareAuthenticator();
        var (_, passkey, session) = await UserWithPasskey("ada@example.com", authenticator, UserRole.Administrator);

        var held = (await App.ConfirmSessionAsync(session.SessionId)).ShouldNotBeNull();
        held.MustUsePasskey.ShouldBeTrue();
        held.IsAdministrator.ShouldBeFalse();
        (await App.Send(new ListUsersQuery())).ShouldFailWith<ForbiddenError, Page<UserListItem>>();
        (await App.Send(new StartPasskeyRegistrationCommand())).ShouldFailWith<ForbiddenError, PasskeyCeremonyStart>()
            .Message.ShouldBe(StartPasskeyRegistrationCommand.SignInWithOneFirst);
        (await App.Send(new RemovePasskeyCommand(passkey.Id))).ShouldFailWith<ForbiddenError>()
            .Message.ShouldBe(RemovePasskeyCommand.SignInWithOneFirst);

        var started = (await App.Send(new StartPasskeyReauthenticationCommand())).ShouldSucceed();
        (await App.Send(new ReauthenticateWithPasskeyCommand(started.ChallengeId, authenticator.Assert(started.OptionsJson)))).ShouldSucceed();

        (await App.ConfirmSessionAsync(session.SessionId)).ShouldNotBeNull().IsAdministrator.ShouldBeTrue();
        (await App.Send(new ListUsersQuery())).ShouldSucceed();
    }

    [Fact]
    public async Task Should_let_a_passkey_session_of_an_administrator_in_and_a_held_one_enrol_its_first_passkey_when_passkeys_are_required()
    {
        await StartAsync(requirePasskeys: true);
        using var authenticator = new SoftwareAuthenticator();
        await App.CreateUserWithPassword("ada@example.com", Password, UserRole.Administrator);
        var session = await App.SignInAndActAs("ada@example.com", Password);
        (await App.ConfirmSessionAsync(session.SessionId)).ShouldNotBeNull().MustUsePasskey.ShouldBeTrue();

        await App.RegisterPasskey(authenticator);
        App.Caller.ActAsAnonymous();
        var withPasskey = (await App.SignInWithPasskey(authenticator)).ShouldSucceed();

        var caller = (await App.ConfirmSessionAsync(withPasskey.SessionId)).ShouldNotBeNull();
        caller.MustUsePasskey.ShouldBeFalse();
        caller.IsAdministrator.ShouldBeTrue();
    }

    [Fact]
    public async Task Should_not_hold_members_or_anyone_when_passkeys_are_not_required()
    {
        await StartAsync(requirePasskeys: true);
        await App.CreateUserWithPassword("member@example.com", Password);
        (await App.ConfirmSessionAsync((await App.SignInAndActAs("member@example.com", Password)).SessionId)).ShouldNotBeNull().MustUsePasskey.ShouldBeFalse();
        await DisposeAsync();

        await StartAsync();
        await App.CreateUserWithPassword("ada@example.com", Password, UserRole.Administrator);
        (await App.ConfirmSessionAsync((await App.SignInAndActAs("ada@example.com", Password)).SessionId)).ShouldNotBeNull().MustUsePasskey.ShouldBeFalse();
    }

    [Theory]
    [InlineData(null, null, "true", "needs Security:PasskeyRelyingPartyId")]
    [InlineData("example.com", "https://evil.example.net", null, "must be an http(s) origin on the relying party id")]
    [InlineData("example.com", "https://console.example.com/path", null, "must be an http(s) origin")]
    [InlineData("example.com", "https://console.example.com", "maybe", "RequirePasskeyForAdministrators")]
    public async Task Should_refuse_to_start_with_passkey_settings_that_cannot_work(
        string? relyingPartyId, string? origin, string? required, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Security:PasskeyRelyingPartyId"] = relyingPartyId,
            ["Security:PasskeyOrigins:0"] = origin,
            ["Security:RequirePasskeyForAdministrators"] = required,
        };

        var error = await Should.ThrowAsync<Exception>(() => TestApp.StartAsync(settings: settings));

        error.ToString().ShouldContain(message);
    }

    [Fact]
    public void Should_give_every_launch_profile_the_default_address_as_the_passkey_origin()
    {
        using var launch = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Repository.File("UserManagement.Web", "Properties", "launchSettings.json")));

        foreach (var profile in launch.RootElement.GetProperty("profiles").EnumerateObject())
        {
            var variables = profile.Value.GetProperty("environmentVariables");
            // No profile sets an address (ASPNETCORE_URLS decides), so `dotnet run` listens on Kestrel's default.
            var url = new Uri("http://localhost:5000");
            variables.GetProperty("Security__PasskeyRelyingPartyId").GetString().ShouldBe(url.Host, profile.Name);
            variables.GetProperty("Security__PasskeyOrigins__0").GetString().ShouldBe(url.GetLeftPart(UriPartial.Authority), profile.Name);
        }
    }

    [Fact]
    public async Task Should_ask_for_the_attestation_that_is_configured()
    {
        _app = await PasskeyEnrolment.StartWithPasskeysAsync(new Dictionary<string, string?> { ["Security:PasskeyAttestation"] = "direct" });
        await App.CreateUserWithPassword("ada@example.com", Password, UserRole.Administrator);
        await App.SignInAndActAs("ada@example.com", Password);

        (await App.Send(new StartPasskeyRegistrationCommand())).ShouldSucceed().OptionsJson.ShouldContain("\"attestation\":\"direct\"");
        (await Should.ThrowAsync<InvalidOperationException>(() => TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Security:PasskeyAttestation"] = "enterprise",
        }))).Message.ShouldContain("none, indirect or direct");
    }
}

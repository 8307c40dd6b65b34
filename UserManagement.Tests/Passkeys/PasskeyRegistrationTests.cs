using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Passkeys;

/// <summary>Adding, renaming and removing one's own passkeys: the registration ceremony's checks, re-authentication, the audit trail.</summary>
public sealed class PasskeyRegistrationTests : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private const string Password = "a long enough password";

    private TestApp App { get; set; } = null!;

    private DateTime Now => App.Clock.GetUtcNow().UtcDateTime;

    public async ValueTask InitializeAsync()
    {
        App = await PasskeyEnrolment.StartWithPasskeysAsync();
        await App.CreateUserWithPassword(Email, Password, UserRole.Administrator);
        await App.SignInAndActAs(Email, Password);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    private async Task<List<Passkey>> StoredPasskeys()
    {
        await using var db = await App.OpenDbAsync();
        return await db.Passkeys.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<string> RefusedWith(SoftwareAuthenticator authenticator)
    {
        var error = (await App.TryRegisterPasskey(authenticator)).ShouldFailWith<PasskeyRefusedError, PasskeyItem>();
        (await StoredPasskeys()).ShouldBeEmpty();
        return error.Message;
    }

    [Fact]
    public async Task Should_store_a_named_passkey_and_record_it_when_the_authenticator_answers_the_challenge()
    {
        using var authenticator = new SoftwareAuthenticator();

        var added = await App.RegisterPasskey(authenticator, "  Work laptop ");

        added.Name.ShouldBe("Work laptop");
        added.CreatedAt.ShouldBe(Now);
        added.LastUsedAt.ShouldBeNull();
        var stored = (await StoredPasskeys()).ShouldHaveSingleItem();
        stored.CredentialId.ShouldBe(authenticator.CredentialId);
        stored.SignCount.ShouldBe(1);
        stored.AttestationFormat.ShouldBe("none");
        (await App.Send(new ListMyPasskeysQuery())).ShouldSucceed().Items.ShouldHaveSingleItem().Id.ShouldBe(added.Id);
        (await App.SecurityEntriesAsync(SecurityEventType.PasskeyAdded)).ShouldHaveSingleItem().Detail.ShouldBe("passkey \"Work laptop\" added");
    }

    [Fact]
    public async Task Should_ask_for_a_password_code_or_passkey_again_before_each_step_of_adding_a_passkey()
    {
        using var authenticator = new SoftwareAuthenticator();
        var started = (await App.Send(new StartPasskeyRegistrationCommand())).ShouldSucceed();

        App.Clock.Advance(Reauthentication.Window + TimeSpan.FromSeconds(1));

        (await App.Send(new StartPasskeyRegistrationCommand())).ShouldFailWith<ReauthenticationRequiredError, PasskeyCeremonyStart>();
        (await App.Send(new RegisterPasskeyCommand(started.ChallengeId, "Laptop", authenticator.Register(started.OptionsJson))))
            .ShouldFailWith<ReauthenticationRequiredError, PasskeyItem>();
        (await StoredPasskeys()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_refuse_and_record_an_answer_from_an_origin_that_is_not_configured()
    {
        using var authenticator = new SoftwareAuthenticator { PageOrigin = "https://localhost:6001" };

        (await RefusedWith(authenticator)).ShouldContain("origin not allowed");
        (await App.SecurityEntriesAsync(SecurityEventType.PasskeyRefused)).ShouldHaveSingleItem().Detail.ShouldBe("registration: origin not allowed");
    }

    [Fact]
    public async Task Should_refuse_an_answer_signed_for_another_relying_party()
    {
        using var authenticator = new SoftwareAuthenticator { SignedRelyingPartyId = "example.com" };

        (await RefusedWith(authenticator)).ShouldContain("relying party id does not match");
    }

    [Fact]
    public async Task Should_refuse_a_passkey_made_without_user_verification()
    {
        using var authenticator = new SoftwareAuthenticator { UserVerified = false };

        (await RefusedWith(authenticator)).ShouldContain("user not verified");
    }

    [Fact]
    public async Task Should_refuse_a_challenge_answered_a_second_time()
    {
        using var authenticator = new SoftwareAuthenticator();
        var started = (await App.Send(new StartPasskeyRegistrationCommand())).ShouldSucceed();
        var answer = authenticator.Register(started.OptionsJson);
        (await App.Send(new RegisterPasskeyCommand(started.ChallengeId, "Laptop", answer))).ShouldSucceed();

        await using (var db = await App.OpenDbAsync())
        {
            await db.Passkeys.ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        (await App.Send(new RegisterPasskeyCommand(started.ChallengeId, "Laptop", answer)))
            .ShouldFailWith<PasskeyRefusedError, PasskeyItem>().Message.ShouldContain("challenge unknown");
        (await StoredPasskeys()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_refuse_a_challenge_that_another_session_asked_for()
    {
        using var authenticator = new SoftwareAuthenticator();
        var started = (await App.Send(new StartPasskeyRegistrationCommand())).ShouldSucceed();

        await App.SignInAndActAs(Email, Password);

        (await App.Send(new RegisterPasskeyCommand(started.ChallengeId, "Laptop", authenticator.Register(started.OptionsJson))))
            .ShouldFailWith<PasskeyRefusedError, PasskeyItem>();
        (await StoredPasskeys()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_refuse_a_challenge_answered_after_its_two_minutes()
    {
        using var authenticator = new SoftwareAuthenticator();
        var started = (await App.Send(new StartPasskeyRegistrationCommand())).ShouldSucceed();

        App.Clock.Advance(PasskeySettings.CeremonyTimeout + TimeSpan.FromSeconds(1));

        (await App.Send(new RegisterPasskeyCommand(started.ChallengeId, "Laptop", authenticator.Register(started.OptionsJson))))
            .ShouldFailWith<PasskeyRefusedError, PasskeyItem>();
        (await StoredPasskeys()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_refuse_a_credential_that_is_registered_already_to_anyone()
    {
        using var authenticator = new SoftwareAuthenticator();
        await App.RegisterPasskey(authenticator);
        var other = "grace@example.com";
        await App.CreateUserWithPassword(other, Password, UserRole.Administrator);
        await App.SignInAndActAs(other, Password);

        (await App.TryRegisterPasskey(authenticator)).ShouldFailWith<PasskeyRefusedError, PasskeyItem>().Message.ShouldContain("registered already");
        (await StoredPasskeys()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_list_the_callers_passkeys_in_the_options_so_an_authenticator_holding_one_makes_no_second()
    {
        using var authenticator = new SoftwareAuthenticator();
        await App.RegisterPasskey(authenticator);

        var started = (await App.Send(new StartPasskeyRegistrationCommand())).ShouldSucceed();

        started.OptionsJson.ShouldContain(SoftwareAuthenticator.ToBase64Url(authenticator.CredentialId));
        started.OptionsJson.ShouldContain("\"userVerification\":\"required\"");
        started.OptionsJson.ShouldContain("\"residentKey\":\"required\"");
        started.OptionsJson.ShouldContain("\"attestation\":\"none\"");
    }

    [Fact]
    public async Task Should_refuse_a_twenty_first_passkey()
    {
        var caller = (await App.Caller.GetCallerAsync(TestContext.Current.CancellationToken))!;
        await using (var db = await App.OpenDbAsync())
        {
            for (var i = 0; i < Passkey.MaxPerUser; i++)
            {
                db.Passkeys.Add(Passkey.Register(caller.UserId, $"Key {i}", [(byte)i], [1], 0, false, false, Guid.Empty, "none", Now));
            }

            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        (await App.Send(new StartPasskeyRegistrationCommand())).ShouldFailWith<ForbiddenError, PasskeyCeremonyStart>()
            .Message.ShouldBe(StartPasskeyRegistrationCommand.TooMany);
    }

    [Fact]
    public async Task Should_rename_without_asking_again_and_remove_only_after_asking_again_and_record_both()
    {
        using var authenticator = new SoftwareAuthenticator();
        var added = await App.RegisterPasskey(authenticator, "Laptop");
        App.Clock.Advance(Reauthentication.Window + TimeSpan.FromSeconds(1));

        (await App.Send(new RenamePasskeyCommand(added.Id, "Old laptop"))).ShouldSucceed();
        (await App.Send(new RemovePasskeyCommand(added.Id))).ShouldFailWith<ReauthenticationRequiredError>();
        (await StoredPasskeys()).ShouldHaveSingleItem().Name.ShouldBe("Old laptop");

        await ReauthenticateAsync();
        (await App.Send(new RemovePasskeyCommand(added.Id))).ShouldSucceed();

        (await StoredPasskeys()).ShouldBeEmpty();
        (await App.SecurityEntriesAsync(SecurityEventType.PasskeyRenamed)).ShouldHaveSingleItem().Detail.ShouldBe("passkey \"Laptop\" renamed \"Old laptop\"");
        (await App.SecurityEntriesAsync(SecurityEventType.PasskeyRemoved)).ShouldHaveSingleItem().Detail.ShouldBe("passkey \"Old laptop\" removed");
    }

    [Fact]
    public async Task Should_not_let_anyone_rename_or_remove_another_users_passkey()
    {
        using var authenticator = new SoftwareAuthenticator();
        var added = await App.RegisterPasskey(authenticator);
        await App.CreateUserWithPassword("member@example.com", Password);
        await App.SignInAndActAs("member@example.com", Password);

        (await App.Send(new RenamePasskeyCommand(added.Id, "Mine now"))).ShouldFailWith<NotFoundError>();
        (await App.Send(new RemovePasskeyCommand(added.Id))).ShouldFailWith<NotFoundError>();
        (await StoredPasskeys()).ShouldHaveSingleItem().Name.ShouldBe("Laptop");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Laptop\u202Epot")]
    [InlineData("This name is far longer than the sixty characters a name may have")]
    public async Task Should_refuse_a_name_that_is_empty_too_long_or_misleading(string name)
    {
        using var authenticator = new SoftwareAuthenticator();

        (await App.TryRegisterPasskey(authenticator, name)).ShouldFailOnField(nameof(RegisterPasskeyCommand.Name));
    }

    [Fact]
    public async Task Should_say_passkeys_are_off_where_no_relying_party_is_configured()
    {
        await using var app = await TestApp.StartAsync();

        (await app.Send(new StartPasskeyRegistrationCommand())).ShouldFailWith<ForbiddenError, PasskeyCeremonyStart>()
            .Message.ShouldBe(PasskeySettings.NotConfigured);
        (await app.Send(new StartPasskeySignInCommand(null))).ShouldFailWith<ForbiddenError, PasskeyCeremonyStart>();
        (await app.Send(new ListMyPasskeysQuery())).ShouldSucceed().Available.ShouldBeFalse();
    }

    private async Task ReauthenticateAsync() => (await App.Send(new ReauthenticateCommand(Password))).ShouldSucceed();
}

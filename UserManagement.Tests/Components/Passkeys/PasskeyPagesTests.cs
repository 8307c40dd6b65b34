using Bunit;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Layout;
using UserManagement.Web.Components.Shared;
using UserManagement.Web.Security;

namespace UserManagement.Tests.Components.Passkeys;

/// <summary>The Passkeys page rendered with bUnit: the list, renaming, a browser that says no, and a session held until it uses a passkey.</summary>
public sealed class PasskeyPagesTests : ComponentTestContext
{
    private const string Password = "a long enough password";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    protected override IReadOnlyDictionary<string, string?>? Settings => SoftwareAuthenticator.Settings;

    private async Task SignedInAs(string email)
    {
        await App.CreateUserWithPassword(email, Password, UserRole.Administrator);
        await App.SignInAndActAs(email, Password);
    }

    [Fact]
    public async Task Should_list_the_callers_passkeys_and_rename_one_in_a_dialog()
    {
        await SignedInAs("ada@example.com");
        using var authenticator = new SoftwareAuthenticator();
        await App.RegisterPasskey(authenticator, "Laptop");
        var cut = Open("/account/passkeys");
        cut.WaitForAssertion(() => cut.Find("[data-testid=passkey]").TextContent.ShouldContain("Laptop"), Patience);

        await cut.Do(c => c.Find("button[aria-label='Rename Laptop']").Click());
        cut.WaitForAssertion(() => cut.Find("input[data-testid=passkey-rename]"), Patience);
        await cut.Do(c => c.Find("input[data-testid=passkey-rename]").Input("Desk laptop"));
        await cut.Do(c => c.Find("[data-testid=passkey-rename-save]").Click());

        cut.WaitForAssertion(() => cut.Find("[data-testid=passkey]").TextContent.ShouldContain("Desk laptop"), Patience);
        (await App.Send(new ListMyPasskeysQuery())).ShouldSucceed().Items.ShouldHaveSingleItem().Name.ShouldBe("Desk laptop");
    }

    [Fact]
    public async Task Should_say_no_passkey_was_used_when_the_browser_says_no_and_store_nothing()
    {
        await SignedInAs("ada@example.com");
        JSInterop.SetupModule("./js/passkeys.js").Setup<PasskeyBrowserResult>("create", _ => true)
            .SetResult(new PasskeyBrowserResult(null, "NotAllowedError"));
        var cut = Open("/account/passkeys");
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-passkeys]"), Patience);

        await cut.Do(c => c.Find("input[data-testid=passkey-name]").Input("Laptop"));
        await cut.ClickButton("Add a passkey");

        cut.WaitForAssertion(() => cut.Markup.ShouldContain(new PasskeyBrowserResult(null, "NotAllowedError").Describe()), Patience);
        Sender.SentOf<StartPasskeyRegistrationCommand>().ShouldHaveSingleItem();
        Sender.SentOf<RegisterPasskeyCommand>().ShouldBeEmpty();
        (await App.Send(new ListMyPasskeysQuery())).ShouldSucceed().Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_offer_a_held_session_the_passkey_it_must_use_and_no_way_to_add_or_remove_one()
    {
        await SignedInAs("ada@example.com");
        var passkey = new PasskeyItem(Guid.CreateVersion7(), "Laptop", TestApp.Start.UtcDateTime, null, BackedUp: false);
        Sender.Override<ListMyPasskeysQuery>(_ => Result<MyPasskeyList>.Success(new MyPasskeyList(true, MustUse: true, [passkey])));

        var cut = Open("/account/passkeys");

        cut.WaitForAssertion(() => cut.Find("[data-testid=passkey-required]").TextContent.ShouldContain("Confirm with one of your passkeys"), Patience);
        cut.Button("Confirm with a passkey").ShouldNotBeNull();
        cut.FindAll("input[data-testid=passkey-name]").ShouldBeEmpty();
        cut.FindAll("button[aria-label='Remove Laptop']").ShouldBeEmpty();
    }

    [Fact]
    public void Should_remind_a_held_administrator_on_every_page_and_grant_no_console()
    {
        var principal = AppClaims.For(TestCurrentUser.Administrator with { MustUsePasskey = true });
        Authorization.SetClaims([.. principal.Claims]);

        var cut = Render<PasskeyReminder>();

        cut.Find("[data-testid=passkey-reminder]").TextContent.ShouldContain("Administrators must sign in with a passkey.");
        cut.Find("[data-testid=passkey-reminder] a").GetAttribute("href").ShouldBe("account/passkeys");
        principal.HasClaim(AppClaims.CanAdminister, "true").ShouldBeFalse();
        AppClaims.For(TestCurrentUser.Administrator).HasClaim(AppClaims.MustUsePasskey, "true").ShouldBeFalse();
    }

    [Fact]
    public async Task Should_say_passkeys_are_off_where_the_server_has_none()
    {
        await SignedInAs("ada@example.com");
        Sender.Override<ListMyPasskeysQuery>(_ => Result<MyPasskeyList>.Success(new MyPasskeyList(false, false, [])));

        var cut = Open("/account/passkeys");

        cut.WaitForAssertion(() => cut.Find("[data-testid=passkeys-off]").TextContent.ShouldBe(PasskeySettings.NotConfigured), Patience);
        cut.FindAll("input[data-testid=passkey-name]").ShouldBeEmpty();
    }
}

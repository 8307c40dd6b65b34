using Bunit;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Components.Sessions;

public sealed class MySessionsPageTests : ComponentTestContext
{
    private const string Password = "a long enough password";

    private async Task<(SignedIn Here, SignedIn Elsewhere)> SignedInTwice()
    {
        var user = await App.CreateUserWithPassword("ada@example.com", Password, UserRole.Administrator);
        var here = (await App.Send(new SignInCommand("ada@example.com", Password, null))).ShouldSucceed();
        var elsewhere = (await App.Send(new SignInCommand("ada@example.com", Password, null))).ShouldSucceed();
        App.Caller.ActAs(new Caller(user.Id, here.SessionId, user.Email, user.Role, MustChangePassword: false));
        return (here, elsewhere);
    }

    [Fact]
    public async Task Should_list_my_sessions_and_end_another_browsers()
    {
        var (_, elsewhere) = await SignedInTwice();
        var cut = Open("/account/sessions");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=session]").Count.ShouldBe(2));
        cut.FindAll("[data-testid=session]").Count(r => r.TextContent.Contains("This browser")).ShouldBe(1);

        await cut.ClickButton("End");

        cut.ShouldShowSnackbar("The session was ended. That browser has to sign in again.");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=session]").ShouldHaveSingleItem().TextContent.ShouldContain("This browser"));
        (await App.Get<SessionValidator>().ConfirmAsync(elsewhere.SessionId, Xunit.TestContext.Current.CancellationToken)).ShouldBeNull();
        cut.Button("Sign out all other sessions").HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public async Task Should_sign_out_all_other_sessions_after_confirming()
    {
        await SignedInTwice();
        (await App.Send(new SignInCommand("ada@example.com", Password, null))).ShouldSucceed();
        var cut = Open("/account/sessions");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=session]").Count.ShouldBe(3));

        await cut.ClickButton("Sign out all other sessions");
        cut.WaitForAssertion(() => cut.Find("[data-testid=confirm-message]").TextContent.ShouldContain("End every session of yours except this browser's?"));
        await cut.ConfirmDialogAsync();

        cut.ShouldShowSnackbar("Ended 2 other sessions.");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=session]").ShouldHaveSingleItem());
    }
}

using Bunit;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Components.Layout;

/// <summary>
/// A bug (not an expected failure) ends in the one error boundary: the page shows a reference, the log has the bug
/// once, with the same reference, and the circuit lives on.
/// </summary>
public sealed class AppErrorBoundaryTests : ComponentTestContext
{
    private const string Reference = "^[0-9a-f]{32}$";

    public AppErrorBoundaryTests() => ExpectsBug = true;

    /// <summary>The reference the boundary shows, once it shows one.</summary>
    private static string ShownReference(IRenderedComponent<TestRouter> cut)
    {
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=error-boundary]").ShouldHaveSingleItem());
        return cut.Find("[data-testid=error-reference]").TextContent.Trim();
    }

    /// <summary>Every Error logged, by the page and by the app behind it: the one line of the boundary.</summary>
    private LogRecord TheOneErrorLogged() =>
        Logs.Records.Concat(App.Logs.Records).Where(r => r.Level >= LogLevel.Error).ShouldHaveSingleItem();

    private async Task<IRenderedComponent<TestRouter>> OpenEditorAsync(UserDetails user)
    {
        var cut = Open($"/users/{user.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe(user.Name));
        await cut.TypeInto("Name", $"{user.Name} King");
        Wait(400);
        return cut;
    }

    [Fact]
    public async Task Should_show_a_reference_when_the_click_that_saved_throws_afterwards()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = await OpenEditorAsync(ada);
        Sender.Throw<GetUserQuery>();

        await cut.ClickButton("Save");

        var reference = ShownReference(cut);
        reference.ShouldMatch(Reference);
        TheOneErrorLogged().Values["CorrelationId"].ShouldBe(reference);
    }

    [Fact]
    public async Task Should_show_the_page_again_after_trying_again_or_navigating_away_from_an_error()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = await OpenEditorAsync(ada);
        Sender.Throw<GetUserQuery>();
        await cut.ClickButton("Save");
        ShownReference(cut);

        Sender.Restore<GetUserQuery>();
        await cut.ClickButton("Try again");

        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada King"));
        cut.FindAll("[data-testid=error-boundary]").ShouldBeEmpty();
        await cut.TypeInto("Name", "Ada Byron");
        Wait(400);
        Sender.Throw<GetUserQuery>();
        await cut.ClickButton("Save");
        ShownReference(cut);

        await cut.InvokeAsync(() => Navigation.NavigateTo("/users"));

        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Users"));
        cut.FindAll("[data-testid=error-boundary]").ShouldBeEmpty();
    }
}

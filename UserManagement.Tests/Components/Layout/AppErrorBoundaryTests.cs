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
    public AppErrorBoundaryTests() => ExpectsBug = true;

    /// <summary>The reference the boundary shows, once it shows one.</summary>
    private static string ShownReference(IRenderedComponent<TestRouter> cut)
    {
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=error-boundary]").ShouldHaveSingleItem());
        return cut.Find("[data-testid=error-reference]").TextContent.Trim();
    }

    /// <summary>
    /// Asserts that the boundary shows a reference and that the bug was logged once at Error, by the boundary (1420),
    /// with that reference: nothing else, in the page or in the app behind it, logged it too.
    /// </summary>
    private void ShouldShowAReferenceLoggedOnce(IRenderedComponent<TestRouter> cut)
    {
        var reference = ShownReference(cut);
        reference.ShouldMatch("^[0-9a-f]{32}$");
        var logged = Logs.Records.Concat(App.Logs.Records).Where(r => r.Level >= LogLevel.Error).ShouldHaveSingleItem();
        logged.EventId.Id.ShouldBe(1420);
        logged.Values["CorrelationId"].ShouldBe(reference);
    }

    /// <summary>Opens <paramref name="user"/>'s page, changes the name, makes <typeparamref name="TMessage"/> throw and saves.</summary>
    private async Task<IRenderedComponent<TestRouter>> SaveWhileThrowingAsync<TMessage>(UserDetails user, string newName)
    {
        var cut = Open($"/users/{user.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe(user.Name));
        await cut.TypeInto("Name", newName);
        Wait(400);
        Sender.Throw<TMessage>();
        await cut.ClickButton("Save");
        return cut;
    }

    [Fact]
    public async Task Should_show_a_reference_and_log_the_bug_once_when_a_save_throws()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");

        var cut = await SaveWhileThrowingAsync<UpdateUserCommand>(ada, "Ada King");

        ShouldShowAReferenceLoggedOnce(cut);
        cut.FindAll(".mud-snackbar").ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_show_a_reference_when_the_click_that_saved_throws_afterwards()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");

        var cut = await SaveWhileThrowingAsync<GetUserQuery>(ada, "Ada King");

        ShouldShowAReferenceLoggedOnce(cut);
    }

    [Fact]
    public async Task Should_show_the_page_again_after_trying_again_or_navigating_away_from_an_error()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = await SaveWhileThrowingAsync<GetUserQuery>(ada, "Ada King");
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

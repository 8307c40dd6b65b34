using Bunit;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
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
    /// with that reference: nothing else of ours, in the page or in the app behind it, logged it too. (EF Core's own
    /// diagnostics log every failed command at Error, whatever its cause; they are not ours.)
    /// </summary>
    private void ShouldShowAReferenceLoggedOnce(IRenderedComponent<TestRouter> cut)
    {
        var reference = ShownReference(cut);
        reference.ShouldMatch("^[0-9a-f]{32}$");
        var logged = Logs.Records.Concat(App.Logs.Records)
            .Where(r => r.Level >= LogLevel.Error && !r.Category.StartsWith("Microsoft.EntityFrameworkCore.", StringComparison.Ordinal))
            .ShouldHaveSingleItem();
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
    public async Task Should_show_a_reference_when_a_page_throws_while_loading()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        Sender.Throw<GetUserQuery>();

        var cut = Open($"/users/{ada.Id}");

        ShouldShowAReferenceLoggedOnce(cut);
    }

    [Fact]
    public async Task Should_show_a_reference_when_a_fields_check_throws()
    {
        var cut = Open("/users/new");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("New user"));
        // The form runs the validator itself, field by field, outside the pipeline: its uniqueness look-up breaks.
        App.Faults.FailNextCommandContaining("\"NormalizedEmail\"");

        await cut.TypeInto("Email", "ada@example.com");
        Wait(400);

        ShouldShowAReferenceLoggedOnce(cut);
    }

    [Fact]
    public async Task Should_show_a_reference_when_a_live_update_throws()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open("/users");
        cut.WaitForAssertion(() => cut.GridRows().ShouldHaveSingleItem());
        Sender.Throw<ListUsersQuery>();

        // A colleague's change to a row on screen reloads it in place, off the renderer: the reload's bug still ends here.
        await App.SendAsAna(new UpdateUserCommand(ada.Id, ada.Name, "ada.king@example.com", ada.Role, ada.Version));

        ShouldShowAReferenceLoggedOnce(cut);
    }

    [Fact]
    public void Should_show_a_reference_when_a_page_refreshing_by_itself_throws()
    {
        // The dead letters are the bus's; this test runs without it.
        Sender.Override<ListDeadLettersQuery>(_ => Result<IReadOnlyList<DeadLetter>>.Success([]));
        var cut = Open("/jobs");
        cut.WaitForAssertion(() => cut.Find("[data-testid=no-jobs]"));
        Sender.Throw<ListJobsQuery>();

        WaitUntil(cut, 1_000, () => cut.FindAll("[data-testid=error-boundary]").ShouldHaveSingleItem());

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

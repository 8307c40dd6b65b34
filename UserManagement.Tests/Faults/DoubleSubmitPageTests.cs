using Bunit;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>Issue 11, fault 4, on the page: Save is busy while a save is in flight, so a double click sends once.</summary>
public sealed class DoubleSubmitPageTests : ComponentTestContext
{
    private static Task ClickSave(IRenderedComponent<TestRouter> cut) => cut.ClickOn("[data-testid=save]");

    [Fact]
    public async Task Should_send_one_save_and_change_the_user_once_when_save_is_clicked_twice()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var gate = Sender.Hold<UpdateUserCommand>();
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        var name = cut.FindAll("label").Single(l => l.TextContent.Trim().TrimEnd('*').Trim() == "Name").GetAttribute("for");
        await cut.Do(c => c.Find($"#{name}").Input("Ada King"));
        Wait(400);

        await ClickSave(cut);
        cut.WaitForAssertion(() => cut.Find("[data-testid=save]").HasAttribute("disabled").ShouldBeTrue());
        // A second click on a disabled button reaches no handler; the handler's own guard would stop it too.
        await ClickSave(cut);
        gate.SetResult();

        cut.ShouldShowSnackbar("Changes saved.", TimeSpan.FromSeconds(10));
        Sender.SentOf<UpdateUserCommand>().Count().ShouldBe(1);
        var stored = (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed();
        stored.Name.ShouldBe("Ada King");
        stored.Version.ShouldBe(ada.Version + 1);
    }
}

using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>
/// Issue 11, fault 8, on the pages, with the database really gone (its files moved off) under the real pipeline:
/// the page says so where the administrator is looking, keeps what was typed, and works again once it is back.
/// </summary>
public sealed class DatabaseGonePageTests : ComponentTestContext
{
    private string DataFile => new SqliteConnectionStringBuilder(App.ConnectionString).DataSource;

    private string Elsewhere => Path.Combine(App.Directory, "moved-away.db");

    [Fact]
    public async Task Should_say_the_change_was_not_saved_keep_the_input_and_save_once_the_database_is_back()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        var name = cut.FindAll("label").Single(l => l.TextContent.Trim().TrimEnd('*').Trim() == "Name").GetAttribute("for");
        await cut.Do(c => c.Find($"#{name}").Input("Ada King"));
        Wait(400);
        DatabaseFiles.Move(DataFile, Elsewhere);

        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar(UnavailableError.CommandText);
        cut.Find($"#{name}").GetAttribute("value").ShouldBe("Ada King");
        cut.Find("[data-testid=save]").HasAttribute("disabled").ShouldBeFalse();

        DatabaseFiles.Move(Elsewhere, DataFile);
        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar("Changes saved.");
        (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed().Name.ShouldBe("Ada King");
    }

    [Fact]
    public async Task Should_leave_the_email_to_the_save_when_its_check_cannot_reach_the_database()
    {
        var cut = Open("/users/new");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("New user"));
        DatabaseFiles.Move(DataFile, Elsewhere);

        await cut.TypeInto("Name", "Offline");
        await cut.TypeInto("Email", "offline@example.com");
        Wait(400);
        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar(UnavailableError.CommandText);
        cut.FieldErrors("Email").ShouldBeEmpty();
        Logs.Records.ShouldContain(r => r.Level == LogLevel.Warning && r.Message == "Validating Email failed");
    }

    [Fact]
    public async Task Should_say_a_user_could_not_be_loaded_rather_than_that_it_does_not_exist()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        DatabaseFiles.Move(DataFile, Elsewhere);

        var cut = Open($"/users/{ada.Id}");

        cut.WaitForAssertion(() => cut.Find("[role=alert]").TextContent.ShouldContain($"The user could not be loaded: {UnavailableError.QueryText}"));
        cut.FindAll("[data-testid=user-not-found]").ShouldBeEmpty();

        DatabaseFiles.Move(Elsewhere, DataFile);
        await cut.ClickButton("Try again");

        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
    }

    [Fact]
    public async Task Should_show_why_the_list_is_empty_and_fill_it_on_try_again_once_the_database_is_back()
    {
        await App.CreateUser("Ada", "ada@example.com");
        DatabaseFiles.Move(DataFile, Elsewhere);

        var cut = Open("/users");

        cut.WaitForAssertion(() => cut.Find("[data-testid=load-error]").TextContent.ShouldContain(UnavailableError.QueryText));

        DatabaseFiles.Move(Elsewhere, DataFile);
        await cut.ClickButton("Try again");

        cut.WaitForAssertion(() => cut.GridRows().Count.ShouldBe(1));
        cut.FindAll("[data-testid=load-error]").ShouldBeEmpty();
    }
}

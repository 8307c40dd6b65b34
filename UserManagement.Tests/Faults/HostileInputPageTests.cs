using Bunit;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>
/// Issue 11, fault 5, through the pages (bUnit on the real pipeline): markup in stored values is shown as text,
/// over-long and forbidden input is refused on its field, and malformed addresses land on a page, not an error.
/// </summary>
public sealed class HostileInputPageTests : ComponentTestContext
{
    [Fact]
    public async Task Should_show_markup_in_names_and_emails_as_text_in_the_list_and_the_editor()
    {
        const string Script = "<img src=x onerror=alert(1)><script>alert(2)</script>";
        const string Bold = "<b>bold</b> & \"quoted\" 'single'";
        var script = await App.CreateUser(Script, "o'brien+{x}&y=1@example.com");
        await App.CreateUser(Bold, "bold@example.com");

        var list = Open("/users");
        list.WaitForAssertion(() => list.GridRows().Count.ShouldBe(2));

        list.FindAll("tbody img, tbody script, tbody b").ShouldBeEmpty();
        list.GridRows().Select(r => r.QuerySelector("td:nth-child(2)")!.TextContent.Trim()).ShouldBe([Bold, Script], ignoreOrder: true);
        list.Markup.ShouldContain("&lt;img src=x onerror=alert(1)&gt;");

        var editor = list;
        await editor.InvokeAsync(() => Navigation.NavigateTo($"/users/{script.Id}"));
        editor.WaitForAssertion(() => editor.Find("h1").TextContent.ShouldBe(Script));
        editor.FindAll("main img, main script").ShouldBeEmpty();
        editor.Field("Name").GetAttribute("value").ShouldBe(Script);
        editor.Field("Email").GetAttribute("value").ShouldBe("o'brien+{x}&y=1@example.com");
    }

    [Theory]
    [InlineData(HostileInput.Megabyte, "Name must be at most 100 characters.")]
    [InlineData(101, "Name must be at most 100 characters.")]
    [InlineData(-1, "Name cannot contain control or text-direction characters.")]
    public async Task Should_refuse_an_over_long_or_forbidden_name_on_its_field_and_save_nothing(int length, string message)
    {
        var name = length < 0 ? "Ada\u202E\0Lovelace" : new string('x', length);
        var cut = Open("/users/new");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("New user"));

        await cut.Do(c => c.Field("Name").Input(name));
        await cut.Do(c => c.Field("Email").Input("valid@example.com"));
        Wait(400);
        await cut.Do(c => c.Find("[data-testid=save]").Click());

        cut.WaitForAssertion(() => cut.FieldErrors("Name").ShouldBe(message));
        cut.ShouldShowSnackbar("Nothing was saved");
        Sender.SentOf<CreateUserCommand>().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/users/not-a-guid")]
    [InlineData("/users/00000000-0000-0000-0000-000000000000")]
    [InlineData("/users/%27%3B%20DROP%20TABLE%20Users%3B--")]
    [InlineData("/users/019bc0fd-89c0-7c83-aed1-06b1e88abc1d")]
    public void Should_show_user_not_found_for_a_malformed_or_unknown_id(string url)
    {
        var cut = Open(url);

        cut.WaitForAssertion(() => cut.Find("[data-testid=user-not-found] h1").TextContent.ShouldBe("User not found"));
    }

    [Theory]
    [InlineData("/users?page=-5&size=999999")]
    [InlineData("/users?page=2147483647&size=100")]
    [InlineData("/users?search=%00%27%22%3Cscript%3E&sort=%E2%80%AE&desc=maybe&role=99&status=-1")]
    [InlineData("/users?page=1e9&size=&search=")]
    public async Task Should_show_the_list_for_a_malformed_query_string(string url)
    {
        await App.CreateUser("Ada Lovelace", "ada@example.com");

        var cut = Open(url);

        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Users"));
        cut.WaitForAssertion(() => (cut.GridRows().Count + cut.FindAll("[data-testid=load-error]").Count
            + cut.FindAll("tbody tr.mud-table-row, .mud-table-empty-row").Count).ShouldBeGreaterThan(0));
        cut.FindAll("script").ShouldBeEmpty();
    }
}

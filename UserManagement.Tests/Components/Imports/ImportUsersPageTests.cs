using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Components.Imports;

public sealed class ImportUsersPageTests : ComponentTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected override bool WithBus => true;

    private IRenderedComponent<TestRouter> Upload(byte[] content, string name = "people.csv")
    {
        var cut = Open("/users/import");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, name, contentType: "text/csv"));
        return cut;
    }

    private static byte[] TwoBadRows() => ImportFiles.Csv(
        ImportFiles.Header,
        "Ada,ada.page@example.com,Member",
        "Bob,not-an-email,Member",
        "Cy,cy.page@example.com,Owner",
        "Dee,dee.page@example.com,Administrator");

    [Fact]
    public void Should_show_every_problem_with_its_line_and_write_nothing()
    {
        var cut = Upload(TwoBadRows());

        cut.WaitForAssertion(() => cut.Find("[data-testid=import-counts]").TextContent.ShouldContain("4 rows: 2 valid, 2 problems"), Patience);
        var rows = cut.FindAll("[data-testid=import-errors] tbody tr")
            .Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()))).ToList();
        rows.ShouldBe(
        [
            "3 | Email | not-an-email | Enter a valid email address, such as name@example.com.",
            "4 | Role | Owner | Choose a role: Administrator or Member.",
        ]);
        cut.Find("[data-testid=start-import]").TextContent.ShouldContain("Import 2 valid rows");
        Sender.SentOf<StartImportCommand>().ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_import_the_valid_rows_in_the_background_and_open_the_job()
    {
        var requester = await App.ActAsStoredAdministratorAsync();
        var cut = Upload(TwoBadRows());
        cut.WaitForAssertion(() => cut.Find("[data-testid=start-import]").HasAttribute("disabled").ShouldBeFalse(), Patience);

        await cut.Do(c => c.Find("[data-testid=start-import]").Click());

        cut.WaitForAssertion(() => Navigation.Uri.ShouldContain("/jobs/"), Patience);
        var jobId = Guid.Parse(Navigation.Uri.Split("/jobs/")[1]);
        var job = await App.WaitUntilFinishedAsync(jobId);
        (job.Status, job.Done).ShouldBe((JobStatus.Completed, 2));
        (await App.StoredUsersAsync()).Where(u => u.Id != requester.Id).Select(u => u.Email)
            .ShouldBe(["ada.page@example.com", "dee.page@example.com"], ignoreOrder: true);
    }

    [Fact]
    public void Should_say_why_a_file_is_refused()
    {
        var cut = Upload(ImportFiles.Csv("email,name", "ada@example.com,Ada"));

        cut.WaitForAssertion(() => cut.Find("[data-testid=import-error]").TextContent
            .ShouldContain("Line 1 must be the header name,email,role (in any order)"), Patience);
        cut.FindAll("[data-testid=import-preview]").ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_download_the_problems_as_csv()
    {
        var module = JSInterop.SetupModule("./js/app.js");
        module.SetupVoid("downloadFile", _ => true).SetVoidResult();
        var cut = Upload(TwoBadRows());
        cut.WaitForAssertion(() => cut.FindAll("button").Any(b => b.TextContent.Contains("Download problems as CSV")).ShouldBeTrue(), Patience);

        await cut.Do(c => c.FindAll("button").Single(b => b.TextContent.Contains("Download problems as CSV")).Click());

        cut.WaitForAssertion(() => module.Invocations["downloadFile"].ShouldHaveSingleItem().Arguments[0].ShouldBe("people-problems.csv"), Patience);
    }

    [Fact]
    public void Should_refuse_a_file_over_the_limit_without_reading_it()
    {
        var cut = Upload(new byte[ImportFile.MaxBytes + 1]);

        cut.WaitForAssertion(() => cut.Find("[data-testid=import-error]").TextContent.ShouldBe(ImportFile.TooLarge), Patience);
        Sender.SentOf<PreviewImportQuery>().ShouldBeEmpty();
    }
}

using System.Net;
using System.Text;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Users;

namespace UserManagement.Tests.Web;

/// <summary>The users list's CSV export as a browser downloads it: the list's filter and order, every page, safe in a spreadsheet.</summary>
public sealed class UserExportTests : HttpHostTests
{
    private AppHost _host = null!;

    public override ValueTask InitializeAsync()
    {
        _host = Host();
        return ValueTask.CompletedTask;
    }

    private async Task CreateAsync(string name, string email, UserRole role = UserRole.Member) =>
        (await SendAsAdministrator(_host, new CreateUserCommand(name, email, role))).IsSuccess.ShouldBeTrue();

    [Fact]
    public async Task Should_stream_the_filtered_sorted_list_as_csv_with_formulas_written_as_text()
    {
        await CreateAsync("=HYPERLINK(\"http://evil.example\")", "formula@example.com");
        await CreateAsync("Lovelace, Ada", "ada@example.com");
        await CreateAsync("Boss", "boss@example.com", UserRole.Administrator);
        using var client = await SignedInAsync(_host);

        var response = await client.Http.GetAsync(new Uri("/users/export.csv?role=Member&sort=email&desc=true", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/csv; charset=utf-8");
        response.Content.Headers.ContentDisposition!.FileName!.Trim('"').ShouldStartWith("users-");
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var rows = Csv.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        rows[0].ShouldBe(UserExport.Header);
        rows.Skip(1).Select(r => r[1]).ShouldBe(["formula@example.com", "ada@example.com"], "members only, by email descending");
        rows[1][0].ShouldBe("'=HYPERLINK(\"http://evil.example\")", "a cell that starts like a formula is written as text");
        rows[2][0].ShouldBe("Lovelace, Ada");
    }

    [Fact]
    public async Task Should_leave_no_formula_cell_for_a_spreadsheet_that_splits_on_semicolons_or_tabs()
    {
        var names = CsvWriterTests.Hostile.Where(n => UserRules.IsValidName(n) && n == UserRules.NormalizeName(n)).Distinct().ToList();
        for (var i = 0; i < names.Count; i++)
        {
            await CreateAsync(names[i], $"hostile{i}@example.com");
        }

        using var client = await SignedInAsync(_host);

        var text = await client.Http.GetStringAsync(new Uri("/users/export.csv?search=hostile", UriKind.Relative), TestContext.Current.CancellationToken);

        names.ShouldContain("a;=2+5;b");
        SpreadsheetReading.FormulaCells(text).ShouldBeEmpty();
        Csv.Parse(text.TrimStart('\uFEFF')).Skip(1).Select(r => r[0]).ShouldBe(names.Select(CsvWriter.Neutralize), ignoreOrder: true);
    }

    [Fact]
    public async Task Should_record_each_export_in_the_audit_trail_with_who_and_which_filter()
    {
        using var client = await SignedInAsync(_host);

        await client.Http.GetStringAsync(new Uri("/users/export.csv?search=ada&role=Member&sort=email&desc=true", UriKind.Relative), TestContext.Current.CancellationToken);
        await client.Http.GetStringAsync(new Uri("/users/export.csv", UriKind.Relative), TestContext.Current.CancellationToken);

        var page = (await SendAsAdministrator(_host,
            new ListAuditEntriesQuery(new AuditFilter(Action: AuditActions.ForSecurityEvent(SecurityEventType.Exported))))).ShouldSucceed();
        page.Items.Select(e => e.Detail).ShouldBe(
            ["Users list (everything), sorted by name", "Users list (search \u201cada\u201d, role Member), sorted by email descending"], "newest first");
        page.Items.ShouldAllBe(e => e.ActorName == AdminEmail && e.TargetId == null);
    }
}

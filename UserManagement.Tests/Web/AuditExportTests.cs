using System.Net;
using System.Text;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Audit;

namespace UserManagement.Tests.Web;

/// <summary>The CSV export as a browser downloads it: streamed, filtered, safe to open in a spreadsheet.</summary>
public sealed class AuditExportTests : HttpHostTests
{
    private const string MemberEmail = "member@export.example";
    private const string MemberPassword = "member export passphrase";

    private readonly LogCapture _logs = new();
    private AppHost _host = null!;

    public override ValueTask InitializeAsync()
    {
        _host = Host(logs: _logs);
        return ValueTask.CompletedTask;
    }

    private Task<FormClient> SignedInAsync(string email = AdminEmail, string password = AdminPassword) => SignedInAsync(_host, email, password);

    private Task<T> SendAsync<T>(Mediator.ICommand<T> command) => SendAsAdministrator(_host, command);

    private async Task<IReadOnlyList<AuditEntryItem>> EntriesAsync(SecurityEventType type) =>
        (await SendAsAdministrator(_host, new ListAuditEntriesQuery(
            new AuditFilter(Action: AuditActions.ForSecurityEvent(type)), PageSize: ListAuditEntriesQuery.MaxPageSize))).ShouldSucceed().Items;

    private async Task<Guid> AddMemberAsync() => (await AddUserAsync(_host, MemberEmail, MemberPassword)).Id;

    [Fact]
    public async Task Should_stream_every_matching_entry_as_csv_that_opens_cleanly_in_a_spreadsheet()
    {
        var id = (await SendAsync(new CreateUserCommand("=HYPERLINK(\"http://evil.example\")", "formula@example.com", UserRole.Member))).Value;
        await SendAsync(new UpdateUserCommand(id, "Lovelace, Ada \"The Countess\"", "formula@example.com", UserRole.Member, 1));
        using var client = await SignedInAsync();

        var response = await client.Http.GetAsync(new Uri($"/audit/export.csv?user={id}", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/csv; charset=utf-8");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Content.Headers.ContentDisposition.FileName!.Trim('"').ShouldStartWith("audit-");
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF }, "a byte-order mark tells a spreadsheet it is UTF-8");
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        text.ShouldEndWith("\r\n");
        var rows = Csv.Parse(text);
        rows[0].ShouldBe(AuditCsv.Header);
        rows.Count.ShouldBe(3);
        rows.Skip(1).Select(r => r[3]).ShouldBe(["User updated", "User created"]);
        rows[1][4].ShouldBe("Lovelace, Ada \"The Countess\"");
        rows[1][7].ShouldBe("Name: =HYPERLINK(\"http://evil.example\") -> Lovelace, Ada \"The Countess\"");
        rows[2][4].ShouldBe("'=HYPERLINK(\"http://evil.example\")", "a cell that starts like a formula is written as text");
        rows[2][1].ShouldBe(AdminEmail);
        rows[2][6].ShouldBe(id.ToString());
    }

    [Fact]
    public async Task Should_leave_no_formula_cell_for_a_spreadsheet_that_splits_on_semicolons_or_tabs()
    {
        var names = CsvWriterTests.Hostile.Where(n => UserRules.IsValidName(n) && n == UserRules.NormalizeName(n)).Distinct().ToList();
        for (var i = 0; i < names.Count; i++)
        {
            var id = (await SendAsync(new CreateUserCommand(names[i], $"hostile{i}@example.com", UserRole.Member))).ShouldSucceed();
            (await SendAsync(new UpdateUserCommand(id, names[(i + 1) % names.Count], $"hostile{i}@example.com", UserRole.Member, 1))).ShouldSucceed();
        }

        using var client = await SignedInAsync();

        var text = await client.Http.GetStringAsync(new Uri("/audit/export.csv?search=hostile", UriKind.Relative), TestContext.Current.CancellationToken);

        // The header, each user's two entries, and the export's own entry (its filter names the search).
        Csv.Parse(text.TrimStart('\uFEFF')).Count.ShouldBe(1 + (2 * names.Count) + 1);
        SpreadsheetReading.FormulaCells(text).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_export_only_what_the_filters_select()
    {
        await SendAsync(new CreateUserCommand("Grace", "grace@example.com", UserRole.Member));
        using var client = await SignedInAsync();

        var text = await client.Http.GetStringAsync(new Uri("/audit/export.csv?action=SignInSucceeded&search=operator", UriKind.Relative), TestContext.Current.CancellationToken);

        var rows = Csv.Parse(text.TrimStart('\uFEFF'));
        rows.Count.ShouldBeGreaterThan(1);
        rows.Skip(1).ShouldAllBe(r => r[3] == "Signed in");
    }

    [Fact]
    public async Task Should_export_what_the_page_shows_when_a_search_is_too_short_to_run()
    {
        using var client = await SignedInAsync();

        var everything = await client.Http.GetStringAsync(new Uri("/audit/export.csv?action=UserCreated", UriKind.Relative), TestContext.Current.CancellationToken);
        var shortSearch = await client.Http.GetStringAsync(new Uri("/audit/export.csv?action=UserCreated&search=zz", UriKind.Relative), TestContext.Current.CancellationToken);

        Csv.Parse(shortSearch.TrimStart('\uFEFF')).Count.ShouldBe(Csv.Parse(everything.TrimStart('\uFEFF')).Count, "a search too short is left out, as on the page");
        Csv.Parse(everything.TrimStart('\uFEFF')).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Should_record_an_export_of_the_trail_in_the_trail_with_who_and_which_filter()
    {
        using var client = await SignedInAsync();

        await client.Http.GetStringAsync(new Uri("/audit/export.csv?action=UserCreated&search=ada", UriKind.Relative), TestContext.Current.CancellationToken);

        var exported = (await EntriesAsync(SecurityEventType.Exported)).ShouldHaveSingleItem();
        (exported.ActorName, exported.TargetId).ShouldBe((AdminEmail, (Guid?)null));
        exported.Detail.ShouldBe("Audit trail (search \u201cada\u201d, action \u201cUserCreated\u201d)");
        _logs.Records.ShouldContain(r => r.EventId.Id == 1160 && r.Message.Contains("exported Audit trail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_record_and_log_a_member_refused_an_export_and_still_send_them_to_access_denied()
    {
        // The endpoint's policy refuses before any message is sent, so the refusal is recorded and logged on its own.
        var member = await AddMemberAsync();
        using var memberClient = await SignedInAsync(MemberEmail, MemberPassword);

        foreach (var path in new[] { "/users/export.csv", "/audit/export.csv", "/audit" })
        {
            var refused = await memberClient.Http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            refused.Headers.Location!.ToString().ShouldContain("/access-denied", customMessage: path);
        }

        var entries = await EntriesAsync(SecurityEventType.ExportRefused);
        entries.Select(e => e.Detail).ShouldBe(
        [
            "Audit trail: refused, only administrators may export",
            "Users list: refused, only administrators may export",
        ], "one per export asked for; the page refusal is no export");
        entries.ShouldAllBe(e => e.ActorId == member && e.ActorName == MemberEmail && e.TargetId == member);
        _logs.Records.Where(r => r.EventId.Id == 1161 && r.Level == Microsoft.Extensions.Logging.LogLevel.Warning)
            .Select(r => r.Values["What"]).ShouldBe(["Users list", "Audit trail"]);
        (await EntriesAsync(SecurityEventType.Exported)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_keep_the_audit_page_and_its_export_to_administrators()
    {
        await AddMemberAsync();

        using var anonymous = Client(_host);
        foreach (var path in new[] { "/audit/export.csv", "/audit", "/users/export.csv" })
        {
            var refused = await anonymous.Http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            refused.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            refused.Headers.Location!.ToString().ShouldContain("/signin", customMessage: path);
        }

        using var memberClient = await SignedInAsync(MemberEmail, MemberPassword);
        foreach (var path in new[] { "/audit/export.csv", "/audit", "/users/export.csv" })
        {
            var forbidden = await memberClient.Http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            forbidden.StatusCode.ShouldBe(HttpStatusCode.Redirect, path);
            forbidden.Headers.Location!.ToString().ShouldContain("/access-denied", customMessage: path);
        }
    }
}

/// <summary>A strict RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF between records.</summary>
internal static class Csv
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                (c is '"' or '\n' or '\r' ? throw new FormatException($"Unquoted {(int)c} at {i}.") : field).Append(c);
            }
        }

        if (row.Count > 0 || field.Length > 0)
        {
            throw new FormatException("The last record does not end with CRLF.");
        }

        return rows;
    }
}

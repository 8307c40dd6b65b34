using System.Text;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Imports;

/// <summary>The dry run: every bad file gets a clear message, every bad row its line, field and reason; nothing is written.</summary>
public abstract class PreviewImportTests(DatabaseProvider provider) : AppTests(provider)
{
    private async Task<Result<ImportPreview>> Preview(byte[] content) => await App.Send(new PreviewImportQuery("people.csv", content));

    private async Task<string> FileErrorOf(byte[] content)
    {
        var result = await Preview(content);
        result.IsSuccess.ShouldBeFalse();
        var message = result.Error.ShouldBeOfType<ValidationError>().MessagesFor(ImportValidation.FileField).ShouldHaveSingleItem();
        (await App.StoredUsersAsync()).ShouldBeEmpty();
        return message;
    }

    [Fact]
    public async Task Should_count_the_valid_rows_and_write_nothing()
    {
        var preview = (await Preview(ImportFiles.ValidRows(3))).Value;

        preview.TotalRows.ShouldBe(3);
        preview.ValidRows.ShouldBe(3);
        preview.Errors.ShouldBeEmpty();
        (await App.StoredUsersAsync()).ShouldBeEmpty();
        await using var db = await App.OpenDbAsync();
        db.Jobs.ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_report_each_bad_row_with_its_line_field_and_the_create_user_message()
    {
        var preview = (await Preview(ImportFiles.Csv(
            ImportFiles.Header,
            "Ada,ada@example.com,Member",
            ",nameless@example.com,Member",
            "Bob,not-an-email,Member",
            "Cy,cy@example.com,Owner",
            "Dee,dee@example.com"))).Value;

        preview.TotalRows.ShouldBe(5);
        preview.ValidRows.ShouldBe(1);
        preview.Errors.ShouldBe(
        [
            new ImportRowError(3, "Name", "Name is required.", ""),
            new ImportRowError(4, "Email", "Enter a valid email address, such as name@example.com.", "not-an-email"),
            new ImportRowError(5, "Role", "Choose a role: Administrator or Member.", "Owner"),
            new ImportRowError(6, ImportRowError.RowField, "The row has 2 fields; it needs exactly 3 (name, email, role), separated by ','."),
        ]);
    }

    [Fact]
    public async Task Should_refuse_an_email_repeated_in_the_file_or_taken_by_another_user()
    {
        await App.CreateUser("Existing", "taken@example.com");

        var preview = (await Preview(ImportFiles.Csv(
            ImportFiles.Header,
            "First,twice@example.com,Member",
            "Second,TWICE@example.com,Member",
            "Third,Taken@Example.com,Member"))).Value;

        preview.ValidRows.ShouldBe(1);
        preview.Errors.ShouldBe(
        [
            new ImportRowError(3, "Email", ImportValidation.DuplicateInFile(2), "TWICE@example.com"),
            new ImportRowError(4, "Email", UserValidationRules.DuplicateEmailMessage, "Taken@Example.com"),
        ]);
    }

    [Fact]
    public async Task Should_read_semicolons_a_bom_quotes_any_header_order_and_role_case()
    {
        var text = "\uFEFFRole;Email;Name\r\nmember;\"o'hara@example.com\";\"O'Hara; Scarlett\"\r\nADMINISTRATOR;ann@example.com;\"Ann \"\"The Boss\"\"\"\r\n";

        var preview = (await Preview(Encoding.UTF8.GetBytes(text))).Value;

        preview.Errors.ShouldBeEmpty();
        preview.ValidRows.ShouldBe(2);
    }

    [Fact]
    public async Task Should_give_the_line_of_a_quote_that_never_closes()
    {
        var message = await FileErrorOf(ImportFiles.Csv(ImportFiles.Header, "Ada,ada@example.com,Member", "\"Bob,bob@example.com,Member", "Cy,cy@example.com,Member"));

        message.ShouldBe("Line 3 opens a quoted field that is never closed. Check the quotes on that line.");
    }

    [Fact]
    public async Task Should_give_the_line_of_text_after_a_closing_quote()
    {
        var message = await FileErrorOf(ImportFiles.Csv(ImportFiles.Header, "Ada,ada@example.com,Member", "\"Bob\" Jr,bob@example.com,Member"));

        message.ShouldStartWith("Line 3 has text after a closing quote.");
    }

    [Fact]
    public async Task Should_refuse_a_wrong_header()
    {
        (await FileErrorOf(ImportFiles.Csv("full name,mail,role", "Ada,ada@example.com,Member")))
            .ShouldBe("Line 1 must be the header name,email,role (in any order); it is \"full name\", \"mail\", \"role\".");
    }

    [Fact]
    public async Task Should_refuse_a_missing_header()
    {
        (await FileErrorOf(ImportFiles.Csv("Ada,ada@example.com,Member", "Bob,bob@example.com,Member")))
            .ShouldStartWith("The header line is missing: line 1");
    }

    [Fact]
    public async Task Should_refuse_text_that_is_not_utf8_and_say_which_line()
    {
        var latin1 = Encoding.Latin1.GetBytes("name,email,role\nAda,ada@example.com,Member\nJos\u00e9,jose@example.com,Member\n");

        (await FileErrorOf(latin1)).ShouldStartWith("The file is not UTF-8 text (line 3 has bytes that are not UTF-8");
    }

    [Fact]
    public async Task Should_refuse_utf16()
    {
        (await FileErrorOf(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("name,email,role\n")).ToArray()))
            .ShouldStartWith("The file is saved as UTF-16.");
    }

    [Fact]
    public async Task Should_refuse_a_file_that_is_not_csv()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];

        (await FileErrorOf(png)).ShouldStartWith("The file is not UTF-8 text");
        (await FileErrorOf(Encoding.UTF8.GetBytes("name,email,role\0\0\0"))).ShouldStartWith("This is not a CSV file: it contains binary data.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("name,email,role\n")]
    [InlineData("name,email,role\n\n\n")]
    public async Task Should_refuse_an_empty_file(string text)
    {
        (await FileErrorOf(Encoding.UTF8.GetBytes(text))).ShouldBe(ImportFile.Empty);
    }

    [Fact]
    public async Task Should_refuse_a_file_over_20_mb_before_reading_it()
    {
        var content = new byte[ImportFile.MaxBytes + 1];

        (await FileErrorOf(content)).ShouldBe(ImportFile.TooLarge);
    }

    [Fact]
    public async Task Should_refuse_more_than_100000_rows()
    {
        var message = await FileErrorOf(ImportFiles.Csv([ImportFiles.Header, .. Enumerable.Repeat("A,a@example.com,Member", ImportFile.MaxRows + 1)]));

        message.ShouldBe("The file has more than 100,000 rows. Split it into smaller files.");
    }

    [Fact]
    public async Task Should_take_a_formula_as_plain_text_and_neutralize_it_in_the_error_report()
    {
        var preview = (await Preview(ImportFiles.Csv(
            ImportFiles.Header,
            "=HYPERLINK(\"http://evil.example\"),formula@example.com,Member",
            "+SUM(A1),=1+1,Member"))).Value;

        preview.ValidRows.ShouldBe(1, "a name may start with '=': it is stored as typed");
        var report = Encoding.UTF8.GetString(ImportErrorReport.ToCsv(preview.Errors)).TrimStart('\uFEFF');
        report.ShouldContain("'=1+1");
        report.ShouldNotContain(",=1+1");
        report.Split('\n')[0].Trim().ShouldBe("line,field,value,message");
    }

    public sealed class OnSqlite() : PreviewImportTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : PreviewImportTests(DatabaseProvider.PostgreSQL);
}

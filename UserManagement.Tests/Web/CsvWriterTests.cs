using System.Globalization;
using System.Text;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Web;

/// <summary>
/// The one CSV writer (downloads and the import's error report): RFC 4180 for a reader that splits on commas, and no
/// cell that runs as a formula in a spreadsheet that splits on semicolons or tabs instead.
/// </summary>
public sealed class CsvWriterTests
{
    /// <summary>Values that put a formula where a comma, semicolon or tab reader starts a cell, with or without quotes.</summary>
    public static readonly string[] Hostile =
    [
        "a;=2+5;b", "x,=1", "x\t=1", "x\"=1", "=1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", " +1", "a; =1", "1;+1",
        "\"=1\"", "a,\"=1\";b", "; ;=1", ";\"\"=1", "\t\t=1", "a;\t-2", "two\r\n@lines", "x\n=1", "plain", "", "=A1,B1",
        "Lovelace, Ada \"The Countess\"", "ends with ;", "- ; - ; -",
    ];

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "\"'\tx\"")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("=A1,B1", "\"'=A1,B1\"")]
    [InlineData("a;=2+5;b", "\"a;'=2+5;b\"")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("x\t=1", "\"x\t'=1\"")]
    [InlineData("a; -1", "\"a; '-1\"")]
    [InlineData(" +1", " '+1")]
    [InlineData("say \"=1\"", "\"say \"\"'=1\"\"\"")]
    [InlineData("Ada-Lovelace + Byron @home", "Ada-Lovelace + Byron @home")]
    public void Should_make_each_cell_safe_and_quote_it_when_needed(string? value, string cell) =>
        CsvWriter.Cell(value).ShouldBe(cell);

    [Fact]
    public async Task Should_leave_no_formula_cell_for_a_reader_that_splits_on_commas_semicolons_or_tabs()
    {
        // Each hostile value in every column position, beside the others.
        var rows = Hostile.Select((_, i) => Enumerable.Range(0, 3).Select(column => Hostile[(i + column) % Hostile.Length]).ToArray()).ToList();
        using var body = new MemoryStream();

        await CsvWriter.WriteAsync(body, ["One", "Two", "Three"], rows.ToAsyncEnumerable(), row => row, TestContext.Current.CancellationToken);

        var text = Encoding.UTF8.GetString(body.ToArray());
        SpreadsheetReading.FormulaCells(text).ShouldBeEmpty();
        var parsed = Csv.Parse(text.TrimStart('\uFEFF'));
        parsed.Skip(1).ShouldBe(rows.Select(row => row.Select(CsvWriter.Neutralize).ToArray()), "a comma reader gets every value whole, formulas written as text");
    }

    [Fact]
    public void Should_write_the_import_error_report_with_the_same_writer()
    {
        var errors = Hostile.Select((value, i) => new ImportRowError(i + 2, "Name", $"Message {value}", value)).ToList();

        var text = Encoding.UTF8.GetString(ImportErrorReport.ToCsv(errors));

        text.ShouldStartWith("\uFEFFline,field,value,message\r\n");
        SpreadsheetReading.FormulaCells(text).ShouldBeEmpty();
        Csv.Parse(text.TrimStart('\uFEFF')).Skip(1).Select(r => r[2]).ShouldBe(Hostile.Select(CsvWriter.Neutralize));
        Csv.Parse(text.TrimStart('\uFEFF')).Skip(1).Select(r => r[0]).ShouldBe(errors.Select(e => e.Line.ToString(CultureInfo.InvariantCulture)));
    }
}

using System.Globalization;
using UserManagement.Application.Common;

namespace UserManagement.Application.Imports;

/// <summary>The refused rows of an import as a CSV file (line, field, value, message) to fix and upload again.</summary>
public static class ImportErrorReport
{
    public static IReadOnlyList<string> Header { get; } = ["line", "field", "value", "message"];

    public static byte[] ToCsv(IEnumerable<ImportRowError> errors) =>
        CsvWriter.ToBytes(Header, errors, e => [e.Line.ToString(CultureInfo.InvariantCulture), e.Field, e.Value, e.Message]);
}

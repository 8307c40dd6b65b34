using System.Globalization;
using System.Text;
using nietras.SeparatedValues;

namespace UserManagement.Application.Imports;

/// <summary>The refused rows of an import as a CSV file (line, field, value, message) to fix and upload again.</summary>
public static class ImportErrorReport
{
    public static byte[] ToCsv(IEnumerable<ImportRowError> errors)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true }).To(text))
        {
            foreach (var error in errors)
            {
                using var row = writer.NewRow();
                row["line"].Format(error.Line);
                row["field"].Set(error.Field);
                row["value"].Set(CsvCells.Neutralize(error.Value));
                row["message"].Set(CsvCells.Neutralize(error.Message));
            }
        }

        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.ToString())).ToArray();
    }
}

using System.Text;

namespace UserManagement.Tests.Support;

/// <summary>
/// How a spreadsheet may read a CSV we write: split on a comma, a semicolon (German, French locales) or a tab, with
/// quotes honoured where they open a cell, or not honoured at all. The cells it could run as a formula are those
/// that start with = + - @, leading blanks, tabs, line breaks and quotes aside.
/// </summary>
public static class SpreadsheetReading
{
    public static readonly char[] Separators = [',', ';', '\t'];

    /// <summary>Every cell any of those readers sees that would run as a formula, with the separator and reading that saw it.</summary>
    public static List<string> FormulaCells(string text)
    {
        text = text.TrimStart('\uFEFF');
        var found = new List<string>();
        foreach (var separator in Separators)
        {
            (string Reading, IReadOnlyList<string> Cells)[] readings =
            [
                ("quotes honoured", QuotedCells(text, separator)),
                ("quotes ignored", text.Split([separator, '\r', '\n'])),
            ];
            foreach (var (reading, cells) in readings)
            {
                found.AddRange(cells.Where(IsFormula).Select(cell => $"{Name(separator)}, {reading}: [{cell}]"));
            }
        }

        return found;
    }

    // Stricter than "starts with = + - @, a tab or a carriage return": blanks, line breaks and quotes before the
    // formula character are skipped too, as a reader that trims them would.
    private static bool IsFormula(string cell) =>
        cell.TrimStart(' ', '"', '\t', '\r', '\n') is { Length: > 0 } shown && shown[0] is '=' or '+' or '-' or '@';

    private static string Name(char separator) => separator == '\t' ? "tab" : separator.ToString();

    /// <summary>RFC 4180 as spreadsheets read it leniently: a quote opens a quoted cell only at its start; text after a closing quote is kept.</summary>
    private static List<string> QuotedCells(string text, char separator)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var atStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    cell.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && atStart)
            {
                quoted = true;
                atStart = false;
            }
            else if (c == separator || c is '\r' or '\n')
            {
                cells.Add(cell.ToString());
                cell.Clear();
                atStart = true;
            }
            else
            {
                cell.Append(c);
                atStart = false;
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}

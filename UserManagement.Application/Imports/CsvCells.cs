namespace UserManagement.Application.Imports;

/// <summary>
/// Makes text safe to put in a CSV cell that a spreadsheet will open. A value is stored exactly as typed (a name
/// may start with "="), but a cell that starts with = + - @ or a tab or carriage return would run as a formula
/// (CSV injection, OWASP), so every CSV this app writes prefixes such a cell with an apostrophe.
/// </summary>
public static class CsvCells
{
    public static string Neutralize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }
}

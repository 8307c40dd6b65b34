using System.Text;
using nietras.SeparatedValues;

namespace UserManagement.Application.Imports;

/// <summary>One data row of an import file as typed: <see cref="Line"/> is where it starts in the file (the header is line 1).</summary>
public sealed record ImportFileRow(int Line, string Name, string Email, string Role);

/// <summary>A file read as far as its rows, or the reason it cannot be (<see cref="FileError"/>, with nothing read).</summary>
public sealed record ImportFileContent(IReadOnlyList<ImportFileRow> Rows, IReadOnlyList<ImportRowError> RowErrors, string? FileError)
{
    public static ImportFileContent Refused(string error) => new([], [], error);
}

/// <summary>
/// Reads an import file: UTF-8 text (with or without BOM), a header row <c>name,email,role</c> (any order, any case),
/// comma or semicolon separated, quotes as in RFC 4180. Refuses, with a message saying why and where, a file that is
/// too large, empty, not UTF-8, not text, with a wrong or missing header, with an unclosed quote, or with too many rows.
/// </summary>
public static class ImportFile
{
    public const int MaxBytes = 20 * 1024 * 1024;
    public const int MaxRows = 100_000;
    public const string NameColumn = "name";
    public const string EmailColumn = "email";
    public const string RoleColumn = "role";

    public static readonly string ExpectedHeader = $"{NameColumn},{EmailColumn},{RoleColumn}";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string TooLarge => $"The file is larger than {MaxBytes / 1024 / 1024} MB. Split it into smaller files.";

    public static string Empty => $"The file is empty. It needs the header line {ExpectedHeader} and at least one row.";

    public static ImportFileContent Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            return ImportFileContent.Refused(TooLarge);
        }

        var text = Decode(bytes, out var encodingError);
        if (encodingError is not null)
        {
            return ImportFileContent.Refused(encodingError);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return ImportFileContent.Refused(Empty);
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return ImportFileContent.Refused("This is not a CSV file: it contains binary data. Upload a text file with the columns name, email and role.");
        }

        var separator = SeparatorOf(FirstLine(text));
        var quoteError = CheckQuotes(text, separator);
        if (quoteError is not null)
        {
            return ImportFileContent.Refused(quoteError);
        }

        return ReadRows(text, separator);
    }

    private static string? Decode(ReadOnlySpan<byte> bytes, out string? error)
    {
        error = null;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            error = "The file is saved as UTF-16. Save it as UTF-8 (\"CSV UTF-8\" in spreadsheet programs) and upload it again.";
            return null;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var at = e.Index >= 0 ? e.Index : 0;
            var line = 1 + bytes[..Math.Min(at, bytes.Length)].Count((byte)'\n');
            error = $"The file is not UTF-8 text (line {line} has bytes that are not UTF-8, as in files saved as ANSI or Latin-1). "
                + "Save it as UTF-8 (\"CSV UTF-8\" in spreadsheet programs) and upload it again.";
            return null;
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }

    /// <summary>Semicolon when the header is separated by semicolons (as spreadsheets in many locales save), else comma.</summary>
    private static char SeparatorOf(string header) =>
        header.Contains(';', StringComparison.Ordinal) && !header.Contains(',', StringComparison.Ordinal) ? ';' : ',';

    /// <summary>
    /// Finds a quoted field that never closes, or a closing quote followed by more text, and names its line: a CSV
    /// reader would otherwise swallow the rest of the file into one field.
    /// </summary>
    private static string? CheckQuotes(string text, char separator)
    {
        var line = 1;
        var atFieldStart = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (atFieldStart && c == '"')
            {
                var openedOn = line;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        return $"Line {openedOn} opens a quoted field that is never closed. Check the quotes on that line.";
                    }

                    if (text[i] == '\n')
                    {
                        line++;
                    }
                    else if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            i++;
                        }
                        else
                        {
                            break;
                        }
                    }

                    i++;
                }

                var next = i + 1 < text.Length ? text[i + 1] : '\n';
                if (next != separator && next != '\r' && next != '\n')
                {
                    return $"Line {line} has text after a closing quote. Put the whole field in quotes and write a quote inside it as \"\".";
                }

                atFieldStart = false;
                continue;
            }

            if (c == '\n')
            {
                line++;
            }

            atFieldStart = c == separator || c == '\n' || c == '\r';
        }

        return null;
    }

    private static ImportFileContent ReadRows(string text, char separator)
    {
        using var reader = Sep.New(separator).Reader(o => o with
        {
            HasHeader = true,
            Unescape = true,
            DisableColCountCheck = true,
            ColNameComparer = StringComparer.OrdinalIgnoreCase,
        }).FromText(text);

        var headerError = CheckHeader(reader.Header.ColNames);
        if (headerError is not null)
        {
            return ImportFileContent.Refused(headerError);
        }

        var name = reader.Header.IndexOf(NameColumn);
        var email = reader.Header.IndexOf(EmailColumn);
        var role = reader.Header.IndexOf(RoleColumn);
        var rows = new List<ImportFileRow>();
        var errors = new List<ImportRowError>();
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            if (row.ColCount == 1 && row[0].Span.Trim().IsEmpty)
            {
                continue;
            }

            if (rows.Count + errors.Count >= MaxRows)
            {
                return ImportFileContent.Refused($"The file has more than {MaxRows:N0} rows. Split it into smaller files.");
            }

            if (row.ColCount != 3)
            {
                errors.Add(new ImportRowError(line, ImportRowError.RowField,
                    $"The row has {row.ColCount} fields; it needs exactly 3 ({NameColumn}, {EmailColumn}, {RoleColumn}), separated by '{separator}'."));
                continue;
            }

            rows.Add(new ImportFileRow(line, row[name].ToString(), row[email].ToString(), row[role].ToString()));
        }

        return rows.Count + errors.Count == 0
            ? ImportFileContent.Refused(Empty)
            : new ImportFileContent(rows, errors, null);
    }

    private static string? CheckHeader(IReadOnlyList<string> columns)
    {
        var found = columns.Select(c => c.Trim().ToLowerInvariant()).ToList();
        string[] expected = [NameColumn, EmailColumn, RoleColumn];
        if (found.Count == expected.Length && !expected.Except(found).Any())
        {
            return null;
        }

        var shown = string.Join(", ", columns.Select(c => $"\"{c}\""));
        return columns.Any(c => c.Contains('@', StringComparison.Ordinal))
            ? $"The header line is missing: line 1 ({shown}) looks like data. Add the line {ExpectedHeader} at the top."
            : $"Line 1 must be the header {ExpectedHeader} (in any order); it is {shown}.";
    }
}

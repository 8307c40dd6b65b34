using System.Text;

namespace UserManagement.Web.Components.Shared;

/// <summary>
/// Makes text from outside (a link, a form value) safe to put in a log message: control characters such as a
/// line feed become visible escapes (<c>\n</c>, <c>\u0000</c>), so a value cannot forge a line of its own, and
/// very long values are cut.
/// </summary>
public static class LogText
{
    public const int MaxLength = 500;

    public static string Encode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var encoded = new StringBuilder(Math.Min(text.Length, MaxLength) + 8);
        foreach (var c in text.Length > MaxLength ? text[..MaxLength] : text)
        {
            _ = c switch
            {
                '\n' => encoded.Append("\\n"),
                '\r' => encoded.Append("\\r"),
                '\t' => encoded.Append("\\t"),
                '\\' => encoded.Append("\\\\"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => encoded.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => encoded.Append(c),
            };
        }

        return text.Length > MaxLength ? encoded.Append('…').ToString() : encoded.ToString();
    }
}

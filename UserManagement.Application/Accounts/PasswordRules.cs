using System.Globalization;
using System.Text;
using FluentValidation;

namespace UserManagement.Application.Accounts;

/// <summary>
/// The password policy (NIST 800-63B / OWASP ASVS 5 V6): 12 to 128 characters, no composition rules, not a
/// commonly used password (nor a common word dressed up with digits, symbols or look-alike characters), not
/// only blanks, not one short piece repeated, not built from the account's name or email. The checks look at
/// the password normalized (<see cref="Normalize"/>): compatibility forms folded, so a fullwidth "ａａａ…" is
/// judged like "aaa…", and accents and other combining marks taken off, so a letter under eleven accents is one
/// character and "éééééééééééé" is "eeeeeeeeeeee". The password itself is stored (hashed) exactly as typed,
/// never trimmed.
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    public const string TooShort = "Use at least 12 characters. A few words strung together make a good password.";
    public const string TooLong = "Use at most 128 characters.";
    public const string TooCommon = "This password is too common and easy to guess. Choose another.";
    public const string SameAsEmail = "Don't use your email address as your password.";
    public const string OnlyBlanks = "A password of only spaces or invisible characters is too easy to guess. Use words or other characters.";
    public const string Personal = "Don't build your password from your name or email address. Add words of your own.";
    public const string Repeated = "A short piece repeated (\"abcabcabc…\") is easy to guess, however long. Use words or other characters.";

    // Characters that show as nothing but are not whitespace or format characters in Unicode's categories.
    private static readonly HashSet<int> Invisible = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x180E, 0x034F];

    /// <summary>Length counted in Unicode characters (a pair of UTF-16 surrogates is one character).</summary>
    public static int LengthOf(string password) => password.EnumerateRunes().Count();

    /// <summary>
    /// The form the checks look at: compatibility forms folded (fullwidth, ligatures, compatibility spaces: NFKD),
    /// combining marks taken off (an accent counts with its letter, and a pile of them on one letter adds nothing),
    /// composed again (NFC), lower case.
    /// </summary>
    public static string Normalize(string password)
    {
        try
        {
            var decomposed = password.Normalize(NormalizationForm.FormKD);
            var bare = new StringBuilder(decomposed.Length);
            foreach (var rune in decomposed.EnumerateRunes())
            {
                if (Rune.GetUnicodeCategory(rune) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark))
                {
                    bare.Append(rune.ToString());
                }
            }

            return bare.ToString().Normalize(NormalizationForm.FormC).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            // A broken surrogate cannot be normalized; it is judged as typed.
            return password.ToLowerInvariant();
        }
    }

    /// <summary>True when the password is long enough as the checks see it (<see cref="Normalize"/>): at least <see cref="MinLength"/> characters.</summary>
    public static bool IsLongEnough(string password) => LengthOf(Normalize(password)) >= MinLength;

    /// <summary>
    /// True when the password is one piece shorter than <see cref="MinLength"/> said again and again ("abcabcabcabc",
    /// "ab ab ab ab ab ab"; blanks ignored): it is no harder to guess than the piece, which is too short on its own.
    /// </summary>
    public static bool IsRepeated(string password)
    {
        var runes = WithoutSpaces(Normalize(password)).EnumerateRunes().Select(r => r.Value).ToArray();
        for (var unit = 1; unit < MinLength && unit <= runes.Length / 2; unit++)
        {
            if (runes.Length % unit == 0 && runes.Skip(unit).Select((r, i) => r == runes[i % unit]).All(same => same))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why the password breaks the policy (ignoring the account's own name and email), or null when it does not.</summary>
    public static string? ProblemWith(string password) =>
        !IsLongEnough(password) ? TooShort
        : LengthOf(password) > MaxLength ? TooLong
        : IsOnlyBlanks(password) ? OnlyBlanks
        : IsCommon(password) ? TooCommon
        : IsRepeated(password) ? Repeated
        : null;

    /// <summary>True when nothing of the password shows: only whitespace, format (zero-width) or invisible characters.</summary>
    public static bool IsOnlyBlanks(string password) =>
        Normalize(password).EnumerateRunes().All(r => Rune.IsWhiteSpace(r) || Invisible.Contains(r.Value)
            || Rune.GetUnicodeCategory(r) is UnicodeCategory.Format or UnicodeCategory.Control
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark);

    /// <summary>
    /// On the lists, or a listed word dressed up: digits and symbols around it ("Summer2026!!") or look-alike
    /// characters inside it ("P@ssw0rd"). Compared in the NFKC form, spaces inside ignored.
    /// </summary>
    public static bool IsCommon(string password)
    {
        var normalized = Normalize(password).Trim();
        if (CommonPasswords.Passwords.Contains(normalized) || CommonPasswords.Passwords.Contains(WithoutSpaces(normalized)))
        {
            return true;
        }

        return Unleet(normalized).Select(Core).Any(core => core.Length > 0 && (CommonPasswords.Cores.Contains(core) || CommonPasswords.Passwords.Contains(core)));
    }

    /// <summary>
    /// The message for a password built from the account's own name or email (what is left after taking out their
    /// parts, digits and symbols is under four letters), or null when it is not.
    /// </summary>
    public static string? PersonalInfoIn(string password, string? name, string? email)
    {
        var normalized = Normalize(password).Trim();
        if (email is not null && string.Equals(normalized, Normalize(email).Trim(), StringComparison.Ordinal))
        {
            return SameAsEmail;
        }

        var parts = PartsOf(name, email);
        if (parts.Count == 0)
        {
            return null;
        }

        foreach (var candidate in Unleet(normalized))
        {
            var rest = candidate;
            foreach (var part in parts)
            {
                rest = rest.Replace(part, string.Empty, StringComparison.Ordinal);
            }

            if (rest.Count(char.IsLetter) < 4 && rest.Length < candidate.Length)
            {
                return Personal;
            }
        }

        return null;
    }

    public static IRuleBuilderOptions<T, string> ValidPassword<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(p => ProblemWith(p ?? string.Empty) is null).WithMessage((_, p) => ProblemWith(p ?? string.Empty));

    /// <summary>The name's and email's words of three or more letters, longest first, in the normalized form.</summary>
    private static List<string> PartsOf(string? name, string? email)
    {
        var parts = new List<string>();
        void Add(string? text)
        {
            if (text is null)
            {
                return;
            }

            var normalized = Normalize(text);
            parts.AddRange(Words(normalized).Where(p => p.Length >= 3));
            parts.Add(WithoutSpaces(new string(normalized.Where(char.IsLetterOrDigit).ToArray())));
        }

        Add(name);
        if (email is not null && email.LastIndexOf('@') is var at and > 0)
        {
            Add(email[..at]);
            var labels = email[(at + 1)..].Split('.');
            Add(string.Join(' ', labels.Take(labels.Length - 1)));
        }

        return parts.Where(p => p.Length >= 3).Distinct().OrderByDescending(p => p.Length).ToList();
    }

    private static string[] Words(string text) =>
        new string(text.Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray()).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string WithoutSpaces(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>The word inside: the text without its leading and trailing digits, symbols and spaces.</summary>
    internal static string Core(string text) => WithoutSpaces(text.Trim(Decoration(text)));

    private static char[] Decoration(string text) => text.Where(c => !char.IsLetter(c)).Distinct().ToArray();

    /// <summary>The text with look-alike characters read as letters (two readings of "1": i and l).</summary>
    private static IEnumerable<string> Unleet(string text)
    {
        var inner = text.Trim(Decoration(text));
        if (inner.Length == 0)
        {
            yield return text;
            yield break;
        }

        var start = text.IndexOf(inner, StringComparison.Ordinal);
        foreach (var one in new[] { 'i', 'l' })
        {
            var read = new string(inner.Select(c => c switch
            {
                '@' or '4' => 'a',
                '0' => 'o',
                '1' or '!' or '|' => one,
                '3' => 'e',
                '5' or '$' => 's',
                '7' or '+' => 't',
                '8' => 'b',
                '9' => 'g',
                _ => c,
            }).ToArray());
            yield return string.Concat(text.AsSpan(0, start), read, text.AsSpan(start + inner.Length));
        }
    }
}

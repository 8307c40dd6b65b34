using System.Text.RegularExpressions;

namespace UserManagement.Application.Users;

/// <summary>
/// The rules for a user's name and email, written once: the entity guards them and the validators
/// (and through them the forms) report them.
/// </summary>
public static partial class UserRules
{
    public const int NameMaxLength = 100;
    public const int EmailMaxLength = 254;
    public const int EmailLocalPartMaxLength = 64;

    /// <summary>The unique index on the normalized email: the final authority on uniqueness.</summary>
    public const string UniqueEmailIndex = "IX_Users_NormalizedEmail";

    /// <summary>
    /// How long a temporary or one-time password works (ASVS 5.0 6.4.1: initial passwords expire after a short
    /// period). Three days leaves room for a weekend between an administrator setting it and the user's sign-in.
    /// </summary>
    public static readonly TimeSpan TemporaryPasswordLifetime = TimeSpan.FromDays(3);

    public static string NormalizeName(string? name) => (name ?? string.Empty).Trim();

    public static string NormalizeEmail(string? email) => (email ?? string.Empty).Trim();

    /// <summary>The key uniqueness and search use: case folded the same way for every culture.</summary>
    public static string EmailKey(string? email) => NormalizeEmail(email).ToUpperInvariant();

    public static string NameKey(string? name) => NormalizeName(name).ToUpperInvariant();

    /// <summary>
    /// True when the text holds a control character, a text-direction override or isolate (used to make
    /// text display in a misleading order), or a broken UTF-16 surrogate pair.
    /// </summary>
    public static bool HasForbiddenCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i += LengthAt(text, i))
        {
            if (IsForbiddenAt(text, i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The text without the characters <see cref="HasForbiddenCharacters"/> refuses: for text the app shows but did
    /// not get typed into one of its forms (an uploaded file's name), which it cannot send back to be fixed.
    /// </summary>
    public static string WithoutForbiddenCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!HasForbiddenCharacters(text))
        {
            return text;
        }

        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i += LengthAt(text, i))
        {
            if (!IsForbiddenAt(text, i))
            {
                kept.Append(text, i, LengthAt(text, i));
            }
        }

        return kept.ToString();
    }

    /// <summary>A surrogate pair counts as one character; anything else, a lone surrogate included, as one char.</summary>
    private static int LengthAt(string text, int i) =>
        char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;

    private static bool IsForbiddenAt(string text, int i)
    {
        var c = text[i];
        return char.IsControl(c)
            || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'
            || (char.IsSurrogate(c) && LengthAt(text, i) == 1);
    }

    public static bool IsValidName(string? name)
    {
        var normalized = NormalizeName(name);
        return normalized.Length is > 0 and <= NameMaxLength && !HasForbiddenCharacters(normalized);
    }

    /// <summary>
    /// An address as browsers accept it in an email field (the WHATWG rule), with a dot-atom local part
    /// of at most 64 characters and a domain that has at least one dot.
    /// </summary>
    public static bool IsValidEmail(string? email)
    {
        var normalized = NormalizeEmail(email);
        if (normalized.Length is 0 or > EmailMaxLength || !EmailPattern().IsMatch(normalized))
        {
            return false;
        }

        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        var local = normalized[..at];
        return local.Length <= EmailLocalPartMaxLength
            && !local.StartsWith('.')
            && !local.EndsWith('.')
            && !local.Contains("..", StringComparison.Ordinal);
    }

    // Linear in the input (non-backtracking), so it needs no match timeout: a 100 ms timeout here fired on a starved
    // CPU (load 30 on 2 cores) and failed a valid save. The length check above bounds the input anyway.
    [GeneratedRegex(
        @"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex EmailPattern();
}

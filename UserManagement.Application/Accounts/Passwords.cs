using System.Reflection;
using System.Security.Cryptography;
using FluentValidation;

namespace UserManagement.Application.Accounts;

public enum PasswordVerification
{
    Failed,
    Succeeded,

    /// <summary>Right password, but hashed with weaker settings than today's: store a fresh hash.</summary>
    SucceededRehashNeeded,
}

/// <summary>Hashes and checks passwords (PBKDF2-HMAC-SHA512 in the infrastructure).</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    PasswordVerification Verify(string passwordHash, string password);
}

/// <summary>
/// The password policy (NIST 800-63B / OWASP ASVS 5 V6): 12 to 128 characters, no composition rules, not a
/// commonly used password, not the account's own email. Passwords are taken as typed: never trimmed.
/// </summary>
public static class PasswordRules
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    public const string TooShort = "Use at least 12 characters. A few words strung together make a good password.";
    public const string TooLong = "Use at most 128 characters.";
    public const string TooCommon = "This password is too common and easy to guess. Choose another.";
    public const string SameAsEmail = "Don't use your email address as your password.";

    private static readonly Lazy<HashSet<string>> Common = new(LoadCommonPasswords);

    /// <summary>Length counted in Unicode characters (a pair of UTF-16 surrogates is one character).</summary>
    public static int LengthOf(string password) => password.EnumerateRunes().Count();

    public static bool IsCommon(string password) => Common.Value.Contains(password.Trim());

    public static IRuleBuilderOptions<T, string> ValidPassword<T>(
        this IRuleBuilderInitial<T, string> rule, Func<T, string?>? email = null) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(p => p is not null && LengthOf(p) >= MinLength).WithMessage(TooShort)
            .Must(p => LengthOf(p) <= MaxLength).WithMessage(TooLong)
            .Must(p => !IsCommon(p)).WithMessage(TooCommon)
            .Must((message, p) => email is null || !string.Equals(p.Trim(), email(message)?.Trim(), StringComparison.OrdinalIgnoreCase))
            .WithMessage(SameAsEmail);

    /// <summary>A random password: 20 characters from a 57-letter alphabet without look-alikes, about 116 bits.</summary>
    public static string Generate()
    {
        const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return string.Create(20, Alphabet, (span, alphabet) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }

    /// <summary>
    /// The lists a password must not be on: our own (keyboard runs, base words with suffixes) and the 3,000 most
    /// frequent passwords of 12+ characters in a real breach corpus, which ASVS 5.0 (6.2.4) asks for.
    /// </summary>
    internal static readonly IReadOnlyList<string> CommonPasswordLists =
        ["UserManagement.common-passwords.txt", "UserManagement.common-passwords-seclists.txt"];

    /// <summary>How many distinct passwords the lists refuse.</summary>
    internal static int CommonPasswordCount => Common.Value.Count;

    private static HashSet<string> LoadCommonPasswords()
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var list in CommonPasswordLists)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(list)
                ?? throw new InvalidOperationException($"The common-passwords list {list} is missing from the assembly.");
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0 && !line.StartsWith('#'))
                {
                    set.Add(line);
                }
            }
        }

        return set;
    }
}

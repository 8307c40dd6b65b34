using System.Security.Cryptography;
using System.Text;

namespace UserManagement.Application.Accounts;

/// <summary>
/// One of the ten one-time codes that sign in when the authenticator is not at hand. Only a hash is stored; a
/// code works once.
/// </summary>
public sealed class MfaRecoveryCode
{
    public const int Count = 10;

    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    private MfaRecoveryCode()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>SHA-256 of the user id and the code: 50 random bits per code need no slow hash.</summary>
    public string CodeHash { get; private set; } = string.Empty;

    public DateTime CreatedAt { get; private set; }

    public DateTime? UsedAt { get; private set; }

    /// <summary>Ten new codes for <paramref name="userId"/>: the plain codes (shown once) and what is stored.</summary>
    public static (IReadOnlyList<string> Codes, IReadOnlyList<MfaRecoveryCode> Stored) Generate(Guid userId, DateTime utcNow)
    {
        var codes = Enumerable.Range(0, Count).Select(_ => NewCode()).ToList();
        var stored = codes.Select(code => new MfaRecoveryCode
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(utcNow)),
            UserId = userId,
            CodeHash = Hash(userId, code),
            CreatedAt = utcNow,
        }).ToList();
        return (codes, stored);
    }

    /// <summary>True when the text has the shape of a recovery code (ten letters and digits, a dash optional).</summary>
    public static bool LooksLikeOne(string text) => Normalize(text).Length == 10;

    public static string Hash(Guid userId, string code)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{userId:N}:{Normalize(code)}"));
        return Convert.ToHexString(bytes);
    }

    private static string Normalize(string code) =>
        new(code.Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToLowerInvariant).ToArray());

    private static string NewCode()
    {
        Span<char> chars = stackalloc char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return $"{chars[..5]}-{chars[5..]}";
    }
}

using System.Security.Cryptography;

namespace UserManagement.Application.Accounts;

/// <summary>Passwords made for people: the first administrator's one-time password, a temporary password an administrator sets.</summary>
public static class PasswordGenerator
{
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
}

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using UserManagement.Application.Accounts;

namespace UserManagement.Infrastructure;

/// <summary>
/// PBKDF2-HMAC-SHA512 with 210,000 iterations and a 128-bit salt (ASP.NET Core Identity's v3 format). Hashes
/// made with fewer iterations or a weaker PRF verify as "rehash needed", and sign-in then stores a fresh one.
/// </summary>
public sealed class Pbkdf2PasswordHasher : Application.Accounts.IPasswordHasher
{
    public const int IterationCount = 210_000;

    private static readonly object Nobody = new();

    private readonly PasswordHasher<object> _inner = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = IterationCount,
    }));

    public string Hash(string password) => _inner.HashPassword(Nobody, password);

    public PasswordVerification Verify(string passwordHash, string password)
    {
        try
        {
            return _inner.VerifyHashedPassword(Nobody, passwordHash, password) switch
            {
                PasswordVerificationResult.Success => PasswordVerification.Succeeded,
                PasswordVerificationResult.SuccessRehashNeeded => PasswordVerification.SucceededRehashNeeded,
                _ => PasswordVerification.Failed,
            };
        }
        catch (FormatException)
        {
            // A damaged hash never verifies.
            return PasswordVerification.Failed;
        }
    }
}

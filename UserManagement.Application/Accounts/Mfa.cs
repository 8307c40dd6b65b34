using Microsoft.EntityFrameworkCore;
using OtpNet;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>Protects secrets kept in the database (the authenticator secrets) with the host's key ring.</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    /// <summary>The secret, or null when it cannot be read (the keys that protected it are gone).</summary>
    string? Unprotect(string protectedSecret);
}

/// <summary>Whether administrators must use MFA, and how long a new administrator may sign in without it.</summary>
public sealed record MfaPolicy(bool RequiredForAdministrators, TimeSpan GracePeriod)
{
    public static readonly MfaPolicy Default = new(true, TimeSpan.FromDays(7));

    public bool AppliesTo(UserRole role) => RequiredForAdministrators && role == UserRole.Administrator;
}

/// <summary>An authenticator secret to set up: the text to type, and the otpauth URI its QR code carries.</summary>
public sealed record MfaEnrolment(string Secret, string Uri);

/// <summary>
/// TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of clock drift either way) through Otp.NET, and the
/// second-factor checks that sign-in and re-authentication share.
/// </summary>
public static class SecondFactor
{
    public const string Issuer = "UserManagement";
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    public static MfaEnrolment NewEnrolment(string email)
    {
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        return new MfaEnrolment(secret, new OtpUri(OtpType.Totp, secret, email, Issuer).ToString());
    }

    /// <summary>True when the text has the shape of an authenticator code: six digits, spaces allowed.</summary>
    public static bool LooksLikeTotp(string? code) => Digits(code) is { Length: 6 };

    /// <summary>The time step the code belongs to, or null when it is wrong (or the secret is not base32).</summary>
    public static long? MatchTotp(string secret, string? code, DateTime utcNow)
    {
        var digits = Digits(code);
        if (digits is not { Length: 6 })
        {
            return null;
        }

        byte[] key;
        try
        {
            key = Base32Encoding.ToBytes(secret);
        }
        catch (ArgumentException)
        {
            return null;
        }

        return key.Length > 0 && new Totp(key).VerifyTotp(utcNow, digits, out var step, Drift) ? step : null;
    }

    /// <summary>
    /// Checks an authenticator code or a recovery code of <paramref name="user"/> and uses it up: a code's time
    /// step is accepted once (RFC 6238 5.2), a recovery code once. Both are spent with one conditional UPDATE, so
    /// two requests racing with the same code cannot both pass. Returns what was used, or null when it failed.
    /// </summary>
    public static async Task<SecondFactorUsed?> UseAsync(
        IAppDbContext db, ISecretProtector protector, User user, string code, bool allowRecoveryCode, DateTime utcNow,
        CancellationToken cancellationToken)
    {
        if (user.MfaSecret is null)
        {
            return null;
        }

        if (LooksLikeTotp(code))
        {
            var secret = protector.Unprotect(user.MfaSecret);
            if (secret is null || MatchTotp(secret, code, utcNow) is not { } step)
            {
                return null;
            }

            var spent = await db.Users.Where(u => u.Id == user.Id && u.MfaLastUsedStep < step)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.MfaLastUsedStep, step), cancellationToken);
            return spent == 1 ? SecondFactorUsed.Authenticator : null;
        }

        if (!allowRecoveryCode || !MfaRecoveryCode.LooksLikeOne(code))
        {
            return null;
        }

        var hash = MfaRecoveryCode.Hash(user.Id, code);
        var used = await db.RecoveryCodes.Where(c => c.UserId == user.Id && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, utcNow), cancellationToken);
        return used == 1 ? SecondFactorUsed.RecoveryCode : null;
    }

    /// <summary>
    /// True when <paramref name="code"/> is one <see cref="UseAsync"/> would take (a current authenticator code not used
    /// before, or an unused recovery code), without using it up.
    /// </summary>
    public static async Task<bool> WouldTakeAsync(
        IAppDbContext db, ISecretProtector protector, User user, string code, DateTime utcNow, CancellationToken cancellationToken)
    {
        if (user.MfaSecret is null)
        {
            return false;
        }

        if (LooksLikeTotp(code))
        {
            return protector.Unprotect(user.MfaSecret) is { } secret && MatchTotp(secret, code, utcNow) > user.MfaLastUsedStep;
        }

        var hash = MfaRecoveryCode.LooksLikeOne(code) ? MfaRecoveryCode.Hash(user.Id, code) : null;
        return hash is not null && await db.RecoveryCodes.AnyAsync(c => c.UserId == user.Id && c.CodeHash == hash && c.UsedAt == null, cancellationToken);
    }

    private static string? Digits(string? code)
    {
        var digits = code is null ? null : new string(code.Where(c => !char.IsWhiteSpace(c)).ToArray());
        return digits is { Length: 6 } && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}

public enum SecondFactorUsed
{
    Authenticator,
    RecoveryCode,
}

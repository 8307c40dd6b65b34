using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>What the first start did: nothing, or the administrator it set up (and the one-time password, if generated).</summary>
public sealed record BootstrapOutcome(bool Created, string? Email, string? OneTimePassword);

/// <summary>
/// On start-up, makes sure someone can sign in: when no active Administrator has a working password (none, or
/// only an expired one-time password), sets one up from configuration, or with a random one-time password. Either
/// must be changed at the first sign-in. Not a message: nothing but the start-up code may run it, as "system".
/// </summary>
public sealed partial class AdministratorBootstrap(
    IAppDbContextFactory dbFactory, IPasswordHasher hasher, TimeProvider clock, ILogger<AdministratorBootstrap> logger)
{
    public const string DefaultEmail = "admin@usermanagement.local";

    /// <summary>
    /// An active administrator with a working password (not an expired one-time password). Every start asks it;
    /// the partial index over users with a password answers it without reading the Users table (ADR 0018).
    /// </summary>
    public static Expression<Func<User, bool>> CanSignInAsAdministrator(DateTime now) =>
        u => u.Role == UserRole.Administrator && u.Status == UserStatus.Active && u.PasswordHash != null
            && !(u.MustChangePassword && u.TemporaryPasswordExpiresAt <= now);

    public async Task<BootstrapOutcome> EnsureAdministratorAsync(
        string? configuredEmail, string? configuredPassword, CancellationToken cancellationToken = default)
    {
        using var operation = OperationContext.Begin(OperationContext.System());
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var anyAdministrator = await db.Users.AnyAsync(CanSignInAsAdministrator(now), cancellationToken);
        if (anyAdministrator)
        {
            return new BootstrapOutcome(false, null, null);
        }

        var email = string.IsNullOrWhiteSpace(configuredEmail) ? DefaultEmail : configuredEmail.Trim();
        if (!UserRules.IsValidEmail(email))
        {
            throw new InvalidOperationException("Bootstrap:AdminEmail is not a valid email address.");
        }

        var generated = string.IsNullOrEmpty(configuredPassword);
        var password = generated ? PasswordGenerator.Generate() : configuredPassword!;
        if (!generated && (PasswordRules.ProblemWith(password) ?? PasswordRules.PersonalInfoIn(password, "Administrator", email)) is { } problem)
        {
            throw new InvalidOperationException($"Bootstrap:AdminPassword does not meet the password policy: {problem}");
        }

        var key = UserRules.EmailKey(email);
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == key, cancellationToken);
        if (user is null)
        {
            user = User.Create("Administrator", email, UserRole.Administrator, now);
            db.Users.Add(user);
        }
        else
        {
            user.Update(user.Name, user.Email, UserRole.Administrator, now);
            user.SetStatus(UserStatus.Active, now);
        }

        // Generated or configured, it is a first password: it must be changed at the first sign-in and expires
        // like any temporary password (a configured one sits in configuration files and environment variables).
        // Right after that, MFA is set up, with no grace period: until it is, anyone who knows the email can keep the
        // only administrator locked out, and nobody would be left to unlock it (ADR 0025). A generated one-time password
        // cannot be guessed, so wrong guesses at it lock nothing: nobody can keep the first sign-in from happening.
        user.SetPassword(hasher.Hash(password), temporary: true, now, random: generated);
        user.RequireMfaAtNextSignIn(now);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.AdministratorBootstrapped, now,
            generated ? "first administrator set up with a one-time password" : "first administrator set up from configuration",
            user.Id, user.Email));
        await db.SaveChangesAsync(cancellationToken);
        LogBootstrapped(user.Id, user.Email, generated);
        return new BootstrapOutcome(true, user.Email, generated ? password : null);
    }

    [LoggerMessage(EventId = 1050, Level = LogLevel.Warning, Message = "No active administrator existed: set up {Email} ({UserId}); one-time password: {Generated}")]
    private partial void LogBootstrapped(Guid userId, string email, bool generated);
}

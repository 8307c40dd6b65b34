using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// A user account. Every change goes through a method that keeps the invariants: a valid trimmed name and
/// email, their search keys in step, UTC timestamps and a version that moves on every change. Each change
/// raises a domain event saying what changed (never a secret's value: only that it changed).
/// </summary>
public sealed class User : EventSourceEntity
{
    private User()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = string.Empty;

    /// <summary>The name folded to upper case: what search and sorting by name use.</summary>
    public string NormalizedName { get; private set; } = string.Empty;

    public string Email { get; private set; } = string.Empty;

    /// <summary>The email folded to upper case, behind a unique index.</summary>
    public string NormalizedEmail { get; private set; } = string.Empty;

    public UserRole Role { get; private set; }

    public UserStatus Status { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    /// <summary>The password hash (algorithm, iterations and salt inside), or null when no password was ever set.</summary>
    public string? PasswordHash { get; private set; }

    /// <summary>True after an administrator set a temporary password: the user must choose a new one first.</summary>
    public bool MustChangePassword { get; private set; }

    /// <summary>When a temporary (or one-time) password stops working; null for a password the user chose.</summary>
    public DateTime? TemporaryPasswordExpiresAt { get; private set; }

    /// <summary>
    /// True while the password is one the app drew at random (the first start's one-time password, about 116 bits):
    /// no guessing reaches it, so wrong guesses at it lock nothing, and nobody can keep the first administrator out
    /// before its first sign-in (ADR 0025).
    /// </summary>
    public bool PasswordIsRandom { get; private set; }

    public int FailedSignInCount { get; private set; }

    /// <summary>Sign-in is refused until this UTC time after too many failed attempts.</summary>
    public DateTime? LockedUntil { get; private set; }

    public DateTime? LastSignInAt { get; private set; }

    /// <summary>The authenticator app's shared secret (RFC 6238), protected at rest; null without MFA.</summary>
    public string? MfaSecret { get; private set; }

    public DateTime? MfaEnabledAt { get; private set; }

    /// <summary>The last TOTP time step accepted: a code of that step or an earlier one is a replay.</summary>
    public long MfaLastUsedStep { get; private set; }

    /// <summary>
    /// For an Administrator without MFA while it is required: the end of the grace period, set at their first
    /// sign-in. Past it they are held at enrolment.
    /// </summary>
    public DateTime? MfaDeadline { get; private set; }

    /// <summary>Wrong authenticator or recovery codes in a row; counted apart from wrong passwords.</summary>
    public int FailedMfaCount { get; private set; }

    /// <summary>Second-factor attempts are refused until this UTC time after too many wrong codes.</summary>
    public DateTime? MfaLockedUntil { get; private set; }

    public bool HasMfa => MfaEnabledAt is not null;

    /// <summary>
    /// Changes whenever the user's sessions must end (disabled, demoted, password set or changed). A session
    /// remembers the stamp it started with and is valid only while the user still has it.
    /// </summary>
    public string SecurityStamp { get; private set; } = NewStamp();

    /// <summary>
    /// The concurrency token, managed here because SQLite has no row version: it starts at 1 and moves on
    /// with every change, and a save whose loaded version is stale is refused.
    /// </summary>
    public long Version { get; private set; }

    public static User Create(string name, string email, UserRole role, DateTime utcNow)
    {
        var user = new User
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(EnsureUtc(utcNow))),
            Status = UserStatus.Active,
            CreatedAt = EnsureUtc(utcNow),
            UpdatedAt = EnsureUtc(utcNow),
            Version = 1,
        };
        user.SetProfile(name, email, role);
        user.Raise(new UserCreated(user.Ref, user.Role, user.Status, user.CreatedAt));
        return user;
    }

    /// <summary>Who this user is now, for events and audit entries that must stay readable after a delete.</summary>
    public UserRef Ref => new(Id, Name, Email);

    /// <summary>
    /// Changes name, email and role; returns false (and changes nothing) when all are the same. Losing the
    /// Administrator role ends the user's sessions.
    /// </summary>
    public bool Update(string name, string email, UserRole role, DateTime utcNow)
    {
        var sameProfile = Name == UserRules.NormalizeName(name)
            && Email == UserRules.NormalizeEmail(email)
            && Role == role;
        if (sameProfile)
        {
            return false;
        }

        var (oldName, oldEmail, oldRole) = (Name, Email, Role);
        var demoted = Role == UserRole.Administrator && role != UserRole.Administrator;
        SetProfile(name, email, role);
        if (demoted)
        {
            SecurityStamp = NewStamp();
        }

        Touch(utcNow);
        List<FieldChange> changes = [];
        if (Name != oldName)
        {
            changes.Add(new FieldChange(nameof(Name), oldName, Name));
        }

        if (Email != oldEmail)
        {
            changes.Add(new FieldChange(nameof(Email), oldEmail, Email));
        }

        if (changes.Count > 0)
        {
            Raise(new UserUpdated(Ref, changes, UpdatedAt));
        }

        if (Role != oldRole)
        {
            Raise(new UserRoleChanged(Ref, oldRole, Role, UpdatedAt));
        }

        return true;
    }

    /// <summary>
    /// Sets a new password hash and ends every session. A temporary password (set by an administrator, or the
    /// first start's one-time password) must be changed at the next sign-in, and stops working after
    /// <see cref="UserRules.TemporaryPasswordLifetime"/>. <paramref name="random"/>: the app drew it at random (see
    /// <see cref="PasswordIsRandom"/>); only a temporary password can be.
    /// </summary>
    public void SetPassword(string passwordHash, bool temporary, DateTime utcNow, bool random = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(passwordHash);
        if (random && !temporary)
        {
            throw new ArgumentException("Only a temporary password is drawn at random: a password a person chose is not.", nameof(random));
        }

        PasswordHash = passwordHash;
        PasswordIsRandom = random;
        MustChangePassword = temporary;
        TemporaryPasswordExpiresAt = temporary ? EnsureUtc(utcNow) + UserRules.TemporaryPasswordLifetime : null;
        FailedSignInCount = 0;
        LockedUntil = null;
        SecurityStamp = NewStamp();
        Touch(utcNow);
        Raise(temporary ? new PasswordReset(Ref, TemporaryPasswordExpiresAt!.Value, UpdatedAt) : new PasswordChanged(Ref, UpdatedAt));
    }

    /// <summary>
    /// Turns on MFA with a verified authenticator secret (already protected for storage). The step of the code
    /// that proved it is remembered, so that code cannot be used again.
    /// </summary>
    public void EnableMfa(string protectedSecret, long verifiedStep, DateTime utcNow)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(protectedSecret);
        MfaSecret = protectedSecret;
        MfaEnabledAt = EnsureUtc(utcNow);
        MfaLastUsedStep = verifiedStep;
        MfaDeadline = null;
        FailedMfaCount = 0;
        MfaLockedUntil = null;
        Touch(utcNow);
    }

    /// <summary>
    /// Removes MFA (the authenticator was lost): every session ends, and an Administrator must set it up again
    /// at the next sign-in, with no new grace period. Returns false when the user had no MFA.
    /// </summary>
    public bool ResetMfa(DateTime utcNow)
    {
        if (!HasMfa)
        {
            return false;
        }

        MfaSecret = null;
        MfaEnabledAt = null;
        MfaLastUsedStep = 0;
        MfaDeadline = EnsureUtc(utcNow);
        FailedMfaCount = 0;
        MfaLockedUntil = null;
        SecurityStamp = NewStamp();
        Touch(utcNow);
        return true;
    }

    /// <summary>
    /// An administrator who must set up MFA at the very next sign-in, with no grace period: the first administrator, whom
    /// nobody else could unlock (ADR 0025). Nothing changes for a user who has MFA already.
    /// </summary>
    public void RequireMfaAtNextSignIn(DateTime utcNow)
    {
        if (!HasMfa)
        {
            MfaDeadline = EnsureUtc(utcNow);
        }
    }

    /// <summary>Lifts a lockout; returns false when the user was not locked.</summary>
    public bool Unlock(DateTime utcNow)
    {
        if (LockedUntil is null && FailedSignInCount == 0 && MfaLockedUntil is null && FailedMfaCount == 0)
        {
            return false;
        }

        LockedUntil = null;
        FailedSignInCount = 0;
        MfaLockedUntil = null;
        FailedMfaCount = 0;
        Touch(utcNow);
        Raise(new UserUnlocked(Ref, UpdatedAt));
        return true;
    }

    public bool IsLockedAt(DateTime utcNow) => LockedUntil > utcNow;

    /// <summary>True when the password is a temporary one past its expiry: it no longer signs anyone in.</summary>
    public bool HasExpiredPasswordAt(DateTime utcNow) => MustChangePassword && TemporaryPasswordExpiresAt <= utcNow;

    public bool CanSignIn => Status == UserStatus.Active && PasswordHash is not null;

    /// <summary>
    /// Activates or disables the account; returns false when it already has that status. Disabling ends the
    /// user's sessions.
    /// </summary>
    public bool SetStatus(UserStatus status, DateTime utcNow)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown status.");
        }

        if (Status == status)
        {
            return false;
        }

        var from = Status;
        Status = status;
        if (status == UserStatus.Disabled)
        {
            SecurityStamp = NewStamp();
        }

        Touch(utcNow);
        Raise(new UserStatusChanged(Ref, from, Status, UpdatedAt));
        return true;
    }

    /// <summary>Call before removing the user: records who they were, so the trail keeps a readable entry.</summary>
    public void Delete(DateTime utcNow) => Raise(new UserDeleted(Ref, Role, Status, EnsureUtc(utcNow)));

    private void SetProfile(string name, string email, UserRole role)
    {
        if (!UserRules.IsValidName(name))
        {
            throw new ArgumentException("The name breaks the user name rules.", nameof(name));
        }

        if (!UserRules.IsValidEmail(email))
        {
            throw new ArgumentException("The email is not a valid address.", nameof(email));
        }

        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role.");
        }

        Name = UserRules.NormalizeName(name);
        NormalizedName = UserRules.NameKey(name);
        Email = UserRules.NormalizeEmail(email);
        NormalizedEmail = UserRules.EmailKey(email);
        Role = role;
    }

    private void Touch(DateTime utcNow)
    {
        UpdatedAt = EnsureUtc(utcNow);
        Version++;
    }

    private static string NewStamp() => Guid.NewGuid().ToString("N");

    private static DateTime EnsureUtc(DateTime value) =>
        value.Kind == DateTimeKind.Utc
            ? value
            : throw new ArgumentException("Timestamps must be UTC.", nameof(value));
}

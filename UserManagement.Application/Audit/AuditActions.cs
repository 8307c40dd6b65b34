using System.Text.RegularExpressions;
using UserManagement.Application.Accounts;
using UserManagement.Application.Users;

namespace UserManagement.Application.Audit;

/// <summary>
/// The actions the trail records: one per domain event, named after it, and one per kind of security event
/// (<see cref="SecurityEventType"/>), named after it unless a domain event already names the same fact.
/// </summary>
public static partial class AuditActions
{
    public const string UserCreated = nameof(Users.UserCreated);
    public const string UserUpdated = nameof(Users.UserUpdated);
    public const string UserRoleChanged = nameof(Users.UserRoleChanged);
    public const string UserStatusChanged = nameof(Users.UserStatusChanged);
    public const string UserDeleted = nameof(Users.UserDeleted);
    public const string PasswordReset = nameof(Users.PasswordReset);
    public const string PasswordChanged = nameof(Users.PasswordChanged);
    public const string UserUnlocked = nameof(Users.UserUnlocked);
    public const string SessionsEnded = nameof(Users.SessionsEnded);
    public const string AuditTrailPruned = nameof(Audit.AuditTrailPruned);
    public const string JobStarted = nameof(Jobs.JobStarted);
    public const string JobCompleted = nameof(Jobs.JobCompleted);
    public const string JobCancelled = nameof(Jobs.JobCancelled);
    public const string JobStopped = nameof(Jobs.JobStopped);
    public const string DeadLetterRetried = nameof(Jobs.DeadLetterRetried);
    public const string DeadLetterDiscarded = nameof(Jobs.DeadLetterDiscarded);

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [UserCreated] = "User created",
        [UserUpdated] = "User updated",
        [UserRoleChanged] = "Role changed",
        [UserStatusChanged] = "Status changed",
        [UserDeleted] = "User deleted",
        [PasswordReset] = "Temporary password set",
        [PasswordChanged] = "Password changed",
        [UserUnlocked] = "Unlocked",
        [SessionsEnded] = "Sessions ended",
        [AuditTrailPruned] = "Audit trail pruned",
        [JobStarted] = "Job started",
        [JobCompleted] = "Job completed",
        [JobCancelled] = "Job cancelled",
        [JobStopped] = "Job stopped",
        [DeadLetterRetried] = "Dead letter retried",
        [DeadLetterDiscarded] = "Dead letter discarded",
        [nameof(SecurityEventType.SignInSucceeded)] = "Signed in",
        [nameof(SecurityEventType.SignInFailed)] = "Sign-in failed",
        [nameof(SecurityEventType.LockedOut)] = "Locked out",
        [nameof(SecurityEventType.AdministratorBootstrapped)] = "First administrator set up",
        [nameof(SecurityEventType.CurrentPasswordFailed)] = "Wrong current password",
        [nameof(SecurityEventType.SecondFactorRequested)] = "Second factor asked",
        [nameof(SecurityEventType.SecondFactorFailed)] = "Second factor refused",
        [nameof(SecurityEventType.SecondFactorLockedOut)] = "Codes locked out",
        [nameof(SecurityEventType.RecoveryCodeUsed)] = "Recovery code used",
        [nameof(SecurityEventType.MfaEnabled)] = "MFA set up",
        [nameof(SecurityEventType.MfaReset)] = "MFA reset",
        [nameof(SecurityEventType.Reauthenticated)] = "Identity confirmed",
        [nameof(SecurityEventType.ReauthenticationFailed)] = "Identity confirmation refused",
        [nameof(SecurityEventType.Exported)] = "Exported",
        [nameof(SecurityEventType.ExportRefused)] = "Export refused",
        [nameof(SecurityEventType.PasskeyAdded)] = "Passkey added",
        [nameof(SecurityEventType.PasskeyRenamed)] = "Passkey renamed",
        [nameof(SecurityEventType.PasskeyRemoved)] = "Passkey removed",
        [nameof(SecurityEventType.PasskeyRefused)] = "Passkey refused",
        [nameof(SecurityEventType.PasskeyCloneSuspected)] = "Cloned passkey suspected",
    };

    /// <summary>Every action, in the order the filter lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        .. new[]
        {
            UserCreated, UserUpdated, UserRoleChanged, UserStatusChanged, UserDeleted, PasswordReset, PasswordChanged,
            UserUnlocked, SessionsEnded,
        }.Concat(Enum.GetValues<SecurityEventType>().Select(ForSecurityEvent)).Append(AuditTrailPruned)
            .Concat([JobStarted, JobCompleted, JobCancelled, JobStopped, DeadLetterRetried, DeadLetterDiscarded]).Distinct(),
    ];

    public static bool IsKnown(string? action) => action is not null && All.Contains(action, StringComparer.Ordinal);

    /// <summary>The action a security event is recorded under: the domain event's name for the same fact, else its own.</summary>
    public static string ForSecurityEvent(SecurityEventType type) => type switch
    {
        SecurityEventType.PasswordSet => PasswordReset,
        SecurityEventType.PasswordChanged => PasswordChanged,
        SecurityEventType.Unlocked => UserUnlocked,
        SecurityEventType.SessionEnded => SessionsEnded,
        _ => type.ToString(),
    };

    /// <summary>Whether <see cref="Label"/> has a label written for the action, rather than one made from its name.</summary>
    public static bool HasLabel(string action) => Labels.ContainsKey(action);

    /// <summary>How the screen names an action: "Role changed" for UserRoleChanged.</summary>
    public static string Label(string action) =>
        Labels.TryGetValue(action, out var label) ? label : Sentence(WordStart().Replace(action, " $1").Trim());

    private static string Sentence(string words) => words.Length == 0 ? words : words[..1] + words[1..].ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex WordStart();
}

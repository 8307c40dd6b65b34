using System.Globalization;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;

namespace UserManagement.Application.Audit;

/// <summary>
/// What the trail records for each thing that happens: one entry per domain event, and one per security event
/// that no domain event of the same save already records. The database context calls it inside every save.
/// </summary>
public static class AuditTrail
{
    /// <summary>
    /// The entries for one save: the domain events in the order they happened, then the security events raised in
    /// it, except those whose fact (action and user) an entry from a domain event already records.
    /// </summary>
    public static IReadOnlyList<AuditEntry> EntriesFor(
        IEnumerable<IDomainEvent> domainEvents, IEnumerable<SecurityEvent> securityEvents, OperationContext context)
    {
        var entries = domainEvents.Select(e => EntryFor(e, context)).ToList();
        var recorded = entries.Select(e => (e.Action, e.TargetId)).ToHashSet();
        foreach (var securityEvent in securityEvents)
        {
            var entry = EntryFor(securityEvent, context);
            if (!recorded.Contains((entry.Action, entry.TargetId)))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>The entry for one domain event. Every event type has one: an event the trail does not know is a bug.</summary>
    public static AuditEntry EntryFor(IDomainEvent domainEvent, OperationContext context) => domainEvent switch
    {
        UserCreated e => Entry(e, context, AuditActions.UserCreated,
            [new(nameof(User.Name), null, e.User.Name), new(nameof(User.Email), null, e.User.Email),
             new(nameof(User.Role), null, e.Role.ToString()), new(nameof(User.Status), null, e.Status.ToString())]),
        UserUpdated e => Entry(e, context, AuditActions.UserUpdated, e.Changes),
        UserRoleChanged e => Entry(e, context, AuditActions.UserRoleChanged, [new(nameof(User.Role), e.From.ToString(), e.To.ToString())],
            e.From == UserRole.Administrator ? "No longer an administrator: their sessions ended." : null),
        UserStatusChanged e => Entry(e, context, AuditActions.UserStatusChanged, [new(nameof(User.Status), e.From.ToString(), e.To.ToString())],
            e.To == UserStatus.Disabled ? "Disabled: their sessions ended." : null),
        UserDeleted e => Entry(e, context, AuditActions.UserDeleted, [],
            $"Deleted while {e.Status.ToString().ToLowerInvariant()} with the role {e.Role}; their sessions ended."),
        PasswordReset e => Entry(e, context, AuditActions.PasswordReset, [],
            $"Temporary password set, valid until {Timestamp(e.ExpiresAt)}; it must be changed at the next sign-in. Their sessions ended."),
        PasswordChanged e => Entry(e, context, AuditActions.PasswordChanged, [], "Password changed. Their other sessions ended."),
        UserUnlocked e => Entry(e, context, AuditActions.UserUnlocked, [], "Sign-in lockout lifted."),
        SessionsEnded e => Entry(e, context, AuditActions.SessionsEnded, [],
            e.Count == 1 ? $"1 session ended: {e.Reason}." : $"{e.Count} sessions ended: {e.Reason}."),
        UserLockedOut e => Entry(e, context, AuditActions.ForSecurityEvent(
            e.Kind == LockoutKind.SecondFactor ? SecurityEventType.SecondFactorLockedOut : SecurityEventType.LockedOut), [], e.Detail),
        AuditTrailPruned e => AuditEntry.Create(e.OccurredAt, context, AuditActions.AuditTrailPruned, null, null, null, [],
            $"{e.Count} entries from before {Timestamp(e.Before)} removed: the retention is {e.RetentionDays} days."),
        JobStarted e => JobEntry(e, context, AuditActions.JobStarted, $"Started: {e.Total:N0} items to handle."),
        JobCompleted e => JobEntry(e, context, AuditActions.JobCompleted, e.Summary),
        JobCancelled e => JobEntry(e, context, AuditActions.JobCancelled, e.Summary),
        JobStopped e => JobEntry(e, context, AuditActions.JobStopped, e.Summary),
        DeadLetterRetried e => DeadLetterEntry(e.OccurredAt, context, AuditActions.DeadLetterRetried, e.MessageType, e.DeadLetterId, e.JobId, "put back on its queue"),
        DeadLetterDiscarded e => DeadLetterEntry(e.OccurredAt, context, AuditActions.DeadLetterDiscarded, e.MessageType, e.DeadLetterId, e.JobId, "deleted for good"),
        SecurityEvent e => EntryFor(e, context),
        _ => throw new InvalidOperationException($"The audit trail has no entry for {domainEvent.GetType().Name}."),
    };

    /// <summary>
    /// The entry for a security event: its user's email, or for an email that matches no account only the masked
    /// form the event holds (<see cref="SecurityEvent.MaskUnknownEmail"/>: it may be a password typed into the wrong
    /// box). Nothing secret: security events hold none.
    /// </summary>
    public static AuditEntry EntryFor(SecurityEvent securityEvent, OperationContext context)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        var detail = securityEvent.IpAddress is null ? securityEvent.Detail : $"{securityEvent.Detail} (from {securityEvent.IpAddress})";
        return AuditEntry.Create(
            securityEvent.OccurredAt, context, AuditActions.ForSecurityEvent(securityEvent.Type), securityEvent.UserId, null,
            securityEvent.Email, [], detail);
    }

    private static AuditEntry Entry(IUserEvent e, OperationContext context, string action, IReadOnlyList<FieldChange> changes, string? detail = null) =>
        AuditEntry.Create(e.OccurredAt, context, action, e.User, changes, detail);

    // A job is no user: the entry names the job in its detail, and its correlation id is the job's id.
    private static AuditEntry JobEntry(IJobEvent e, OperationContext context, string action, string detail) =>
        AuditEntry.Create(e.OccurredAt, context, action, null, null, null, [], $"{e.Kind} \u201c{e.Title}\u201d ({e.JobId:N}). {detail}");

    private static AuditEntry DeadLetterEntry(
        DateTime occurredAt, OperationContext context, string action, string messageType, Guid deadLetterId, Guid? jobId, string what) =>
        AuditEntry.Create(occurredAt, context, action, null, null, null, [],
            $"{messageType} ({deadLetterId:N}) {what}" + (jobId is { } job ? $"; job {job:N}." : "."));

    private static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

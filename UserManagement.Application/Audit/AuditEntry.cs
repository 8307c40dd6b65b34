using UserManagement.Application.Users;

namespace UserManagement.Application.Audit;

/// <summary>
/// One line of the audit trail: when (UTC), who, which action, on which user, and what changed. Written in the
/// same transaction as the change it records and never changed afterwards: it has no method that changes it,
/// the database context refuses to update or delete it, and triggers refuse an UPDATE and any DELETE but the one
/// deletion: pruning by the configured retention (<see cref="AuditRetention"/>), which is itself recorded.
/// </summary>
public sealed class AuditEntry
{
    public const int ActorNameMaxLength = 254;
    public const int ActionMaxLength = 60;
    public const int DetailMaxLength = 500;

    private AuditEntry()
    {
    }

    /// <summary>Grows with every entry: the order in which entries were written.</summary>
    public long Id { get; private set; }

    public DateTime OccurredAt { get; private set; }

    /// <summary>The signed-in user who did it; null for "system" (start-up, retention) and "anonymous" (signing in).</summary>
    public Guid? ActorId { get; private set; }

    /// <summary>The actor's email at the time, or "system" / "anonymous".</summary>
    public string ActorName { get; private set; } = string.Empty;

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public string Action { get; private set; } = string.Empty;

    /// <summary>The user the entry is about, if any. No foreign key: entries outlive the users they mention.</summary>
    public Guid? TargetId { get; private set; }

    /// <summary>The user's name at the time (unknown for some security events).</summary>
    public string? TargetName { get; private set; }

    /// <summary>The user's email at the time.</summary>
    public string? TargetEmail { get; private set; }

    /// <summary>Ties together the entries, log lines and events of one operation.</summary>
    public string CorrelationId { get; private set; } = string.Empty;

    /// <summary>Each changed field, old -> new; empty when the action says it all. Never a secret.</summary>
    public IReadOnlyList<FieldChange> Changes { get; private set; } = [];

    /// <summary>A short phrase with what the action and the changes do not say.</summary>
    public string? Detail { get; private set; }

    internal static AuditEntry Create(
        DateTime occurredAt, Common.OperationContext context, string action, UserRef? target, IReadOnlyList<FieldChange>? changes,
        string? detail) => Create(occurredAt, context, action, target?.Id, target?.Name, target?.Email, changes, detail);

    internal static AuditEntry Create(
        DateTime occurredAt, Common.OperationContext context, string action, Guid? targetId, string? targetName, string? targetEmail,
        IReadOnlyList<FieldChange>? changes, string? detail) => new()
        {
            OccurredAt = occurredAt.Kind == DateTimeKind.Utc ? occurredAt : throw new ArgumentException("Timestamps must be UTC.", nameof(occurredAt)),
            ActorId = context.ActorId,
            ActorName = Truncate(context.ActorName, ActorNameMaxLength)!,
            Action = action,
            TargetId = targetId,
            TargetName = Truncate(targetName, UserRules.NameMaxLength),
            TargetEmail = Truncate(targetEmail, UserRules.EmailMaxLength),
            CorrelationId = Truncate(context.CorrelationId, 64)!,
            Changes = changes ?? [],
            Detail = Truncate(detail, DetailMaxLength),
        };

    private static string? Truncate(string? value, int length) =>
        value is null || value.Length <= length ? value : value[..length];
}

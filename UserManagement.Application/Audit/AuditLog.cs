using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace UserManagement.Application.Audit;

/// <summary>
/// Every entry recorded from a domain event is also written as one structured log line, once its transaction
/// committed, with event ids 1300-1399 (one per action, so a log collector can alert on, say, role changes). Every
/// value is a parameter of the template, never part of its text. (Security events are logged by the handlers that
/// record them, with ids 1000-1299.)
/// </summary>
public static class AuditLog
{
    public const int FirstEventId = 1300;
    public const int OtherEventId = 1399;

    private const string Template =
        "Audit {Action} of user {TargetId} ({TargetEmail}) by {ActorName} ({ActorId}), correlation {CorrelationId}; changes {Changes}; {Detail}";

    private static readonly string[] Actions =
    [
        AuditActions.UserCreated, AuditActions.UserUpdated, AuditActions.UserRoleChanged, AuditActions.UserStatusChanged,
        AuditActions.UserDeleted, AuditActions.PasswordReset, AuditActions.PasswordChanged, AuditActions.UserUnlocked,
        AuditActions.SessionsEnded, AuditActions.AuditTrailPruned, AuditActions.JobStarted, AuditActions.JobCompleted,
        AuditActions.JobCancelled,
    ];

    /// <summary>The event id an action is logged with.</summary>
    public static int EventIdOf(string action)
    {
        var index = Array.IndexOf(Actions, action);
        return index < 0 ? OtherEventId : FirstEventId + index;
    }

    public static void Write(ILogger logger, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(entry);
        var changes = entry.Changes.Count == 0 ? "none" : JsonSerializer.Serialize(entry.Changes, AuditJson.Options);
        logger.Log(
            LogLevel.Information, new EventId(EventIdOf(entry.Action), entry.Action), Template,
            entry.Action, entry.TargetId, entry.TargetEmail, entry.ActorName, entry.ActorId, entry.CorrelationId, changes, entry.Detail);
    }
}

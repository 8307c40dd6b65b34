using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace UserManagement.Application.Audit;

/// <summary>
/// Every entry recorded from a domain event is also written as one structured log line, once its transaction
/// committed, with event ids 1300-1399 (one per action, so a log collector can alert on, say, role changes). Every
/// value is a parameter of the template, never part of its text. (Security events are logged by the handlers that
/// record them, with ids 1000-1299.) Bulk work (a save of more than <see cref="BulkThreshold"/> entries, such as a
/// batch of an import or a bulk action) writes one summary line per action at Information, with that action's event
/// id, and each entry at Debug: an import of 100,000 users writes a couple of hundred lines, not 100,000.
/// </summary>
public static class AuditLog
{
    public const int FirstEventId = 1300;
    public const int OtherEventId = 1399;

    /// <summary>A save with more entries than this is bulk work: per entry at Debug, a summary per action at Information.</summary>
    public const int BulkThreshold = 10;

    private const string SummaryTemplate =
        "Audit {Action} of {Count} users ({FirstTargetId} … {LastTargetId}) by {ActorName} ({ActorId}), correlation {CorrelationId}";

    private const string Template =
        "Audit {Action} of user {TargetId} ({TargetEmail}) by {ActorName} ({ActorId}), correlation {CorrelationId}; changes {Changes}; {Detail}";

    private static readonly string[] Actions =
    [
        AuditActions.UserCreated, AuditActions.UserUpdated, AuditActions.UserRoleChanged, AuditActions.UserStatusChanged,
        AuditActions.UserDeleted, AuditActions.PasswordReset, AuditActions.PasswordChanged, AuditActions.UserUnlocked,
        AuditActions.SessionsEnded, AuditActions.AuditTrailPruned, AuditActions.ForSecurityEvent(Accounts.SecurityEventType.LockedOut),
        AuditActions.JobStarted, AuditActions.JobCompleted, AuditActions.JobCancelled,
        AuditActions.ForSecurityEvent(Accounts.SecurityEventType.SecondFactorLockedOut),
        AuditActions.JobStopped, AuditActions.DeadLetterRetried, AuditActions.DeadLetterDiscarded,
    ];

    /// <summary>The event id an action is logged with.</summary>
    public static int EventIdOf(string action)
    {
        var index = Array.IndexOf(Actions, action);
        return index >= 0 ? FirstEventId + index : OtherEventId;
    }

    /// <summary>Logs the entries of one save: each at Information, or for bulk work a summary per action and each at Debug.</summary>
    public static void WriteAll(ILogger logger, IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count <= BulkThreshold)
        {
            foreach (var entry in entries)
            {
                Write(logger, entry, LogLevel.Information);
            }

            return;
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var entry in entries)
            {
                Write(logger, entry, LogLevel.Debug);
            }
        }

        foreach (var group in entries.GroupBy(e => (e.Action, e.ActorName, e.ActorId, e.CorrelationId)))
        {
            var (action, actorName, actorId, correlationId) = group.Key;
            logger.Log(
                LogLevel.Information, new EventId(EventIdOf(action), action), SummaryTemplate,
                action, group.Count(), group.First().TargetId, group.Last().TargetId, actorName, actorId, correlationId);
        }
    }

    private static void Write(ILogger logger, AuditEntry entry, LogLevel level)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(entry);
        var changes = entry.Changes.Count == 0 ? "none" : JsonSerializer.Serialize(entry.Changes, AuditJson.Options);
        logger.Log(
            level, new EventId(EventIdOf(entry.Action), entry.Action), Template,
            entry.Action, entry.TargetId, entry.TargetEmail, entry.ActorName, entry.ActorId, entry.CorrelationId, changes, entry.Detail);
    }
}

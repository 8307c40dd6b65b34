using Microsoft.EntityFrameworkCore.Migrations;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;

namespace UserManagement.Infrastructure.Sqlite.Audit;

/// <summary>
/// Moves the rows of the former <c>SecurityEvents</c> table into the audit trail (ADR 0020), called by the
/// <c>FoldSecurityEventsIntoAuditTrail</c> migration before it drops that table. Each row keeps its time, its user
/// (id and email: for an unknown email the masked form it held), its action (<see cref="AuditActions.ForSecurityEvent"/>,
/// as new entries are named), its detail with the client's address, and who: the acting administrator; else the
/// user themselves for what a signed-in user does to their own account; "system" for the first administrator;
/// "anonymous" for signing in. The old table had no correlation id: each moved row takes its event's own id.
/// A row the trail already holds (every event since the trail began was copied into it by the save that wrote it,
/// or stood beside a domain event of the same fact: same action, user and time) is not moved twice.
/// </summary>
public static class SecurityEventsFoldSql
{
    public const string OldTable = "SecurityEvents";
    public const string CorrelationPrefix = "security-event-";

    /// <summary>What a signed-in user does to their own account: the old table left its actor empty.</summary>
    private static readonly SecurityEventType[] SelfService =
    [
        SecurityEventType.PasswordChanged, SecurityEventType.SessionEnded, SecurityEventType.CurrentPasswordFailed,
        SecurityEventType.MfaEnabled, SecurityEventType.Reauthenticated, SecurityEventType.ReauthenticationFailed,
    ];

    public static void MoveRows(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(MoveRowsSql);
    }

    /// <summary>The one statement that copies the rows not yet in the trail, oldest first.</summary>
    public static string MoveRowsSql { get; } = $"""
        INSERT INTO {SqliteAuditTrailSql.Table} (OccurredAt, ActorId, ActorName, Action, TargetId, TargetName, TargetEmail, CorrelationId, Changes, Detail)
        SELECT e.OccurredAt,
               CASE WHEN e.ActorId IS NOT NULL THEN e.ActorId WHEN e.Type IN ({SelfServiceList}) THEN e.UserId END,
               CASE WHEN e.ActorId IS NOT NULL THEN COALESCE((SELECT u.Email FROM Users u WHERE u.Id = e.ActorId), 'unknown')
                    WHEN e.Type IN ({SelfServiceList}) AND e.UserId IS NOT NULL THEN COALESCE(e.Email, 'unknown')
                    WHEN e.Type = '{SecurityEventType.AdministratorBootstrapped}' THEN '{OperationContext.SystemActorName}'
                    ELSE '{OperationContext.AnonymousActorName}' END,
               {ActionOf("e")},
               e.UserId, NULL, e.Email,
               '{CorrelationPrefix}' || lower(e.Id),
               '[]',
               e.Detail || CASE WHEN e.IpAddress IS NULL THEN '' ELSE ' (from ' || e.IpAddress || ')' END
        FROM {OldTable} e
        WHERE NOT EXISTS (
            SELECT 1 FROM {SqliteAuditTrailSql.Table} a
            WHERE a.TargetId IS e.UserId AND a.OccurredAt = e.OccurredAt AND a.Action = {ActionOf("e")})
        ORDER BY e.OccurredAt, e.Id;
        """;

    private static string SelfServiceList => string.Join(", ", SelfService.Select(t => $"'{t}'"));

    // The action each type is recorded under, from the same mapping new entries use.
    private static string ActionOf(string alias) =>
        $"CASE {alias}.Type {string.Concat(Enum.GetValues<SecurityEventType>().Select(t => $"WHEN '{t}' THEN '{AuditActions.ForSecurityEvent(t)}' "))}ELSE {alias}.Type END";
}

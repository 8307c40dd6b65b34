using System.Globalization;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Application.Audit;

/// <summary>
/// Records who took data out of the console, and who was refused (finding 7 of the third outside test): each CSV
/// export is a security event in the trail (<see cref="SecurityEventType.Exported"/>, with what and which filter)
/// and a log line, written before the first row is sent, so an export that cannot be recorded does not happen. A
/// refused export is recorded and logged too (<see cref="SecurityEventType.ExportRefused"/>).
/// </summary>
public sealed partial class DataExports(IAppDbContextFactory dbFactory, TimeProvider clock, ILogger<DataExports> logger)
{
    /// <summary>The current operation's caller is exporting <paramref name="what"/> ("Users list (role Member)").</summary>
    public async Task RecordAsync(string what, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Raise(SecurityEvent.Record(SecurityEventType.Exported, clock.GetUtcNow().UtcDateTime, what));
        await db.SaveChangesAsync(cancellationToken);
        LogExported(OperationContext.Current.ActorId, what);
    }

    /// <summary>
    /// <paramref name="email"/>, signed in but not allowed to use the console, asked for <paramref name="what"/> and
    /// was refused before any of it was read. Recorded as them, about them, from their address.
    /// </summary>
    public async Task RecordRefusalAsync(Guid userId, string email, string what, string? ipAddress, CancellationToken cancellationToken)
    {
        using var operation = OperationContext.Begin(new OperationContext(userId, email, OperationContext.NewCorrelationId()));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Raise(SecurityEvent.Record(
            SecurityEventType.ExportRefused, clock.GetUtcNow().UtcDateTime, $"{what}: refused, only administrators may export", userId, email,
            ipAddress: ipAddress));
        await db.SaveChangesAsync(cancellationToken);
        LogRefused(userId, what, ipAddress);
    }

    /// <summary>"Users list (role Member, search "ada")", or "Users list (everything)" when no filter is set.</summary>
    public static string Describe(string what, params (string Name, object? Value)[] filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var set = filter.Where(f => f.Value is not null && f.Value is not string { Length: 0 })
            .Select(f => f.Value switch
            {
                string text => $"{f.Name} \u201c{text}\u201d",
                DateTime time => $"{f.Name} {time.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}",
                var value => FormattableString.Invariant($"{f.Name} {value}"),
            })
            .ToList();
        return $"{what} ({(set.Count == 0 ? "everything" : string.Join(", ", set))})";
    }

    [LoggerMessage(EventId = 1160, Level = LogLevel.Information, Message = "User {UserId} exported {What}")]
    private partial void LogExported(Guid? userId, string what);

    [LoggerMessage(EventId = 1161, Level = LogLevel.Warning, Message = "Refused an export of {What} to user {UserId}: not an administrator; from {IpAddress}")]
    private partial void LogRefused(Guid userId, string what, string? ipAddress);
}

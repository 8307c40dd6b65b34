using MudBlazor;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Web.Components.Shared;

/// <summary>The database could not be reached; nothing was changed.</summary>
public sealed record UnavailableError(string Message) : Error(Message);

/// <summary>Turns the outcome of a command into words and a snackbar severity for the administrator.</summary>
public static class UserFeedback
{
    public const string Unavailable =
        "The change could not be saved because the database is unreachable. Nothing was changed; try again in a moment.";

    /// <summary>
    /// Runs a command; returns null on success, its error otherwise. An exception (the database is down, say)
    /// becomes an <see cref="UnavailableError"/> so the circuit survives and the user is told.
    /// </summary>
    public static async Task<Error?> TryAsync<TResult>(Func<Task<TResult>> action, ILogger logger)
        where TResult : IOutcome
    {
        try
        {
            var result = await action();
            return result.IsSuccess ? null : result.Error;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "A command failed unexpectedly");
            return new UnavailableError(Unavailable);
        }
    }

    public static string Describe(Error error) => error switch
    {
        ValidationError validation => string.Join(" ", validation.Fields.SelectMany(f => f.Value)),
        _ => error.Message,
    };

    /// <summary>Words for a failed row action on the user named <paramref name="name"/>.</summary>
    public static string DescribeFor(string name, Error error) => error switch
    {
        ConflictError<UserDetails> => $"{name} was changed by someone else, so nothing was done. The list now shows the current values.",
        NotFoundError => $"{name} no longer exists; someone else deleted them. The list has been refreshed.",
        _ => Describe(error),
    };

    public static Severity SeverityOf(Error error) => error switch
    {
        ConflictError<UserDetails> or NotFoundError => Severity.Warning,
        _ => Severity.Error,
    };
}

public static class DisplayFormat
{
    /// <summary>A UTC timestamp as the screens show it.</summary>
    public static string Timestamp(DateTime utc) =>
        utc.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A UTC timestamp to the second, for the audit trail.</summary>
    public static string Moment(DateTime utc) =>
        utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The day of a UTC timestamp, for a grid cell (the full time is in the cell's tooltip).</summary>
    public static string Date(DateTime utc) =>
        utc.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How long ago, in the largest unit that fits: "just now", "5 min ago", "3 h ago", "2 days ago", else the day.</summary>
    public static string Ago(DateTime utc, DateTime utcNow)
    {
        var elapsed = utcNow - utc;
        return elapsed switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => $"{(int)elapsed.TotalMinutes} min ago",
            { TotalDays: < 1 } => $"{(int)elapsed.TotalHours} h ago",
            { TotalDays: < 2 } => "yesterday",
            { TotalDays: < 30 } => $"{(int)elapsed.TotalDays} days ago",
            _ => Date(utc),
        };
    }
}

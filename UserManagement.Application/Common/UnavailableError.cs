namespace UserManagement.Application.Common;

/// <summary>
/// The database could not do it just now: busy past the wait, missing, read-only or full. Nothing the caller
/// sent was wrong, so trying again later is the remedy. <see cref="TelemetryBehavior{TMessage,TResponse}"/>
/// returns it in place of the exception, so the page that sent the message keeps its circuit and its input.
/// </summary>
public sealed record UnavailableError(string Message) : Error(Message)
{
    public const string CommandText =
        "The database is busy or unreachable, so this change was not saved. Try again in a moment.";

    public const string QueryText =
        "The database is busy or unreachable, so this could not be loaded. Try again in a moment.";

    public static UnavailableError ForCommand { get; } = new(CommandText);

    public static UnavailableError ForQuery { get; } = new(QueryText);
}

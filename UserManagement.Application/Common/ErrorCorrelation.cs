namespace UserManagement.Application.Common;

/// <summary>
/// The correlation id a bug carries from the message it broke to the page that shows it. The authorization step stamps
/// every exception that leaves a message with that message's <see cref="OperationContext.CorrelationId"/> (the id its
/// audit entries and log lines carry); the page's error boundary shows it to the user and logs it, so a reference read
/// out over the phone finds the operation. The ambient context is gone by the time the exception reaches the page, so
/// the id travels in the exception's <see cref="Exception.Data"/>.
/// </summary>
public static class ErrorCorrelation
{
    private const string Key = "CorrelationId";

    /// <summary>Stamps <paramref name="exception"/> with <paramref name="correlationId"/>, unless an inner message already did.</summary>
    public static void Attach(Exception exception, string correlationId)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Data[Key] is null)
        {
            exception.Data[Key] = correlationId;
        }
    }

    /// <summary>The id of the message that threw <paramref name="exception"/>, or null when it came from no message.</summary>
    public static string? Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Data[Key] as string;
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Mediator;
using Microsoft.Extensions.Logging;

namespace UserManagement.Application.Common;

/// <summary>
/// The application's own telemetry, under one name: a trace span per message (<see cref="Source"/>) and one
/// histogram of message durations whose count is the message count and whose <c>error.type</c> tag says how
/// a message failed. Exported only when OpenTelemetry is switched on (docs/operations.md, "Monitoring").
/// </summary>
public sealed class AppTelemetry
{
    public const string Name = "UserManagement";
    public const string MessageDurationName = "usermanagement.message.duration";
    public const string MessageTypeTag = "usermanagement.message.type";
    public const string MessageKindTag = "usermanagement.message.kind";
    public const string ErrorTypeTag = "error.type";

    public static readonly ActivitySource Source = new(Name);

    public AppTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        MessageDuration = meter.CreateHistogram(
            MessageDurationName,
            unit: "s",
            description: "How long commands and queries take, by message type and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    public Histogram<double> MessageDuration { get; }

    /// <summary>
    /// The failure kind a metric or span carries: the error's type name without "Error", in snake case
    /// (ValidationError -> "validation", ConflictError&lt;T&gt; -> "conflict", UnavailableError -> "unavailable").
    /// </summary>
    public static string KindOf(Error error)
    {
        var name = error.GetType().Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        name = tick < 0 ? name : name[..tick];
        name = name.EndsWith("Error", StringComparison.Ordinal) ? name[..^"Error".Length] : name;
        var snake = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && snake.Length > 0)
            {
                snake.Append('_');
            }

            snake.Append(char.ToLowerInvariant(c));
        }

        return snake.ToString();
    }
}

/// <summary>
/// The first step of the pipeline, around authorization, validation and the handler. For every message it
/// <list type="bullet">
/// <item>starts a span and records the duration and outcome (<see cref="AppTelemetry"/>), and logs it at Debug;</item>
/// <item>turns a database fault (an exception from the database: locked past the wait, file missing,
/// read-only, disk full) into <see cref="UnavailableError"/>, so the page that sent it says so and keeps its
/// circuit: it is logged here as an error, with the exception;</item>
/// <item>counts commands in flight (<see cref="CommandsInFlight"/>), so a stopping host lets them finish.</item>
/// </list>
/// Any other exception is a bug: it is recorded and thrown on.
/// </summary>
public sealed partial class TelemetryBehavior<TMessage, TResponse>(
    AppTelemetry telemetry, CommandsInFlight inFlight, ILogger<TelemetryBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
    where TResponse : IFailable<TResponse>
{
    private static readonly string MessageType = typeof(TMessage).Name;

    // Without a trace (no listener asked for spans) every message of this type has the same scope: no allocation.
    private static readonly MessageScope NoTraceScope = new(MessageType, null);

    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var isCommand = message is IBaseCommand;
        using var running = isCommand ? inFlight.Enter() : null;
        using var activity = AppTelemetry.Source.StartActivity(MessageType);
        using var scope = logger.BeginScope(Activity.Current is { } current ? new MessageScope(MessageType, current) : NoTraceScope);
        var started = Stopwatch.GetTimestamp();
        string? errorType = null;
        try
        {
            TResponse response;
            try
            {
                response = await next(message, cancellationToken);
            }
            catch (Exception e) when (DatabaseFaults.Is(e))
            {
                LogDatabaseFault(e, MessageType);
                response = TResponse.Failure(isCommand ? UnavailableError.ForCommand : UnavailableError.ForQuery);
            }

            errorType = response.Error is { } error ? AppTelemetry.KindOf(error) : null;
            return response;
        }
        catch (Exception e)
        {
            errorType = e.GetType().FullName;
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            Record(isCommand, errorType, elapsed, activity);
        }
    }

    private void Record(bool isCommand, string? errorType, TimeSpan elapsed, Activity? activity)
    {
        var kind = isCommand ? "command" : "query";
        if (telemetry.MessageDuration.Enabled)
        {
            var tags = new TagList
            {
                { AppTelemetry.MessageTypeTag, MessageType },
                { AppTelemetry.MessageKindTag, kind },
            };
            if (errorType is not null)
            {
                tags.Add(AppTelemetry.ErrorTypeTag, errorType);
            }

            telemetry.MessageDuration.Record(elapsed.TotalSeconds, tags);
        }

        if (activity is not null)
        {
            activity.SetTag(AppTelemetry.MessageTypeTag, MessageType);
            activity.SetTag(AppTelemetry.MessageKindTag, kind);
            if (errorType is not null)
            {
                activity.SetTag(AppTelemetry.ErrorTypeTag, errorType);
                activity.SetStatus(ActivityStatusCode.Error, errorType);
            }
        }

        LogHandled(MessageType, elapsed.TotalMilliseconds, errorType ?? "success");
    }

    [LoggerMessage(EventId = 1410, Level = LogLevel.Debug, Message = "{MessageType} handled in {ElapsedMilliseconds:0.0} ms: {Outcome}")]
    private partial void LogHandled(string messageType, double elapsedMilliseconds, string outcome);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Error, Message = "{MessageType} could not reach the database; the sender was told to try again")]
    private partial void LogDatabaseFault(Exception exception, string messageType);
}

/// <summary>
/// The log scope of one message (MessageType, CorrelationId): read only when a log line is written inside it, so
/// the trace id becomes a string only then.
/// </summary>
internal sealed class MessageScope(string messageType, Activity? activity) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("MessageType", messageType),
        1 => new("CorrelationId", activity?.TraceId.ToHexString()),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"MessageType:{messageType} CorrelationId:{activity?.TraceId.ToHexString()}";
}

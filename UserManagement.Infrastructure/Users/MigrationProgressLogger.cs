using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace UserManagement.Infrastructure.Users;

/// <summary>
/// Logs each step of a long migration as it starts and ends. A step is a SQL command that opens with
/// <see cref="StepMarker"/> (<see cref="Step"/> writes it); every other command passes untouched (one string comparison).
/// Building the read model over a million users takes a while: an operator who wants to watch it move switches this
/// category to Debug (docs/operations.md); at the default level a first start stays quiet.
/// </summary>
public sealed partial class MigrationProgressLogger(ILogger<MigrationProgressLogger> logger) : DbCommandInterceptor
{
    /// <summary>The SQL comment that opens each step's command.</summary>
    public const string StepMarker = "-- read model step ";

    public override InterceptionResult<int> NonQueryExecuting(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Starting(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Starting(command);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Finished(command, eventData.Duration);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Finished(command, eventData.Duration);
        return ValueTask.FromResult(result);
    }

    /// <summary>Wraps one step's SQL so that the progress logger reports it as "step n of total".</summary>
    public static string Step(int number, int total, string name, string sql) =>
        $"{StepMarker}{number}/{total}: {name}\n{sql}";

    private void Starting(DbCommand command)
    {
        if (StepOf(command) is { } step)
        {
            LogStepStarting(step);
        }
    }

    private void Finished(DbCommand command, TimeSpan duration)
    {
        if (StepOf(command) is { } step)
        {
            LogStepFinished(step, (long)duration.TotalMilliseconds);
        }
    }

    private static string? StepOf(DbCommand command)
    {
        var text = command.CommandText;
        if (!text.StartsWith(StepMarker, StringComparison.Ordinal))
        {
            return null;
        }

        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return text[StepMarker.Length..(end < 0 ? text.Length : end)];
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Debug, Message = "Users read model, step {Step}…")]
    private partial void LogStepStarting(string step);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Users read model, step {Step}: done in {Milliseconds} ms")]
    private partial void LogStepFinished(string step, long milliseconds);
}

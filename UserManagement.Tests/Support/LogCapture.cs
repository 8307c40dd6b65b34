using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace UserManagement.Tests.Support;

/// <summary>Keeps every log line (message, state values and exception) written through it, at every level.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>The same lines, structured: event id, template and the values passed as its parameters.</summary>
    public IReadOnlyCollection<LogRecord> Records => _records;

    public ILogger<T> CreateLogger<T>() => new Logger<T>(new LoggerFactory([this]));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _lines, _records);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
            var parameters = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            records.Enqueue(new LogRecord(logLevel, category, eventId, formatter(state, exception), parameters.ToDictionary(p => p.Key, p => p.Value)));
        }
    }
}

/// <summary>One structured log line: <see cref="Values"/> holds each template parameter and "{OriginalFormat}".</summary>
public sealed record LogRecord(LogLevel Level, string Category, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values);

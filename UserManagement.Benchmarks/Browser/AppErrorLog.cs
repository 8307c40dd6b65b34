using System.Text.RegularExpressions;

namespace UserManagement.Benchmarks.Browser;

/// <summary>
/// The app's console output as the load run reads it. The console logger writes an entry as a header line
/// ("fail: Category[EventId]") followed by indented lines: the message, then the exception and its stack. Each error
/// entry ("fail:" or "crit:") is echoed whole, so that the run says why, and its header, message and exception line
/// are counted as one kind, without what differs between two of the same kind (the app's address, a circuit's id).
/// Lines arrive from two streams at once.
/// </summary>
public sealed partial class AppErrorLog(TextWriter echo)
{
    private readonly Lock _lock = new();
    private readonly List<string> _entry = [];
    private readonly BrowserLoad.ErrorCounter _kinds = new();
    private bool _inErrorEntry;

    /// <summary>The error entries read so far.</summary>
    public int Count { get; private set; }

    public void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            var header = line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal);
            if (header || (line.Length > 0 && !char.IsWhiteSpace(line[0])))
            {
                CountEntry();
                _inErrorEntry = header;
            }

            if (header)
            {
                Count++;
                _entry.Add(line[5..].Trim());
            }
            else if (_inErrorEntry && _entry.Count is > 0 and < 3)
            {
                _entry.Add(line.Trim());
            }

            if (_inErrorEntry)
            {
                echo.WriteLine($"  app: {line}");
            }
        }
    }

    /// <summary>The most frequent kinds of error entry, each as "N× header — message — exception".</summary>
    public List<string> Kinds(int count)
    {
        lock (_lock)
        {
            CountEntry();
            return _kinds.Kinds(count);
        }
    }

    /// <summary>The run's loopback address with its port, which changes from run to run.</summary>
    [GeneratedRegex("https?://[^/\\s]+")]
    internal static partial Regex AppAddress();

    private void CountEntry()
    {
        if (_entry.Count > 0)
        {
            _kinds.Add(CircuitId().Replace(AppAddress().Replace(string.Join(" — ", _entry), string.Empty), "'…'"));
            _entry.Clear();
        }
    }

    [GeneratedRegex("'[A-Za-z0-9_-]{30,}'")]
    private static partial Regex CircuitId();
}

using System.Diagnostics;
using System.Globalization;

namespace UserManagement.Benchmarks.Scenarios;

/// <summary>Timings of one scenario in milliseconds, and their percentiles.</summary>
public sealed record Samples(IReadOnlyList<double> Milliseconds)
{
    public double P50 => Percentile(0.50);

    public double P95 => Percentile(0.95);

    public double P99 => Percentile(0.99);

    public int Count => Milliseconds.Count;

    public double Percentile(double p)
    {
        if (Milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = Milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static Samples Of(IEnumerable<Samples> parts) => new([.. parts.SelectMany(p => p.Milliseconds)]);

    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then times each of <paramref name="count"/> runs.</summary>
    public static async Task<Samples> TimeAsync(int warmup, int count, Func<int, Task> action)
    {
        for (var i = 0; i < warmup; i++)
        {
            await action(-1 - i);
        }

        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        return new Samples(times);
    }

    public static string Ms(double value) => double.IsNaN(value) ? "–"
        : value < 1 ? value.ToString("0.000", CultureInfo.InvariantCulture)
        : value < 100 ? value.ToString("0.00", CultureInfo.InvariantCulture)
        : value.ToString("0", CultureInfo.InvariantCulture);
}

/// <summary>
/// One row of the results: the handler's timings, the same-run raw baseline's (if any), the target and
/// whether it was met. <see cref="Ratio"/> is baseline p50 over handler p50 (how many times faster the
/// handler is than the baseline, or what fraction of the raw speed it keeps).
/// </summary>
public sealed record ScenarioResult(
    string Name, Samples Handler, string? BaselineName = null, Samples? Baseline = null, string? Target = null, bool? Met = null, string? Note = null)
{
    public double? Ratio => Baseline is null ? null : Baseline.P50 / Handler.P50;
}

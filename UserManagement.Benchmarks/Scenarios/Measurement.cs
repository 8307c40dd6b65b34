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

    /// <summary>
    /// Times <paramref name="first"/> and <paramref name="second"/> call by call, alternating which goes first, so
    /// that a busy moment of a shared machine lands on both alike.
    /// </summary>
    public static async Task<(Samples First, Samples Second)> TimeInterleavedAsync(int warmup, int count, Func<int, Task> first, Func<int, Task> second)
    {
        for (var i = 0; i < warmup; i++)
        {
            await first(-1 - i);
            await second(-1 - i);
        }

        var a = new double[count];
        var b = new double[count];
        for (var i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                a[i] = await TimeOneAsync(first, i);
                b[i] = await TimeOneAsync(second, i);
            }
            else
            {
                b[i] = await TimeOneAsync(second, i);
                a[i] = await TimeOneAsync(first, i);
            }
        }

        return (new Samples(a), new Samples(b));
    }

    /// <summary>Bytes allocated per call of <paramref name="action"/> (the whole process: nothing else runs meanwhile).</summary>
    public static async Task<long> AllocatedAsync(Func<int, Task> action, int count = 50)
    {
        await action(2_000_000);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < count; i++)
        {
            await action(1_000_000 + i);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - before) / count;
    }

    private static async Task<double> TimeOneAsync(Func<int, Task> action, int i)
    {
        var start = Stopwatch.GetTimestamp();
        await action(i);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
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

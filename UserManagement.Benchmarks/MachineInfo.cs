using System.Runtime.InteropServices;

namespace UserManagement.Benchmarks;

/// <summary>Where and when the figures were taken, including how busy the machine was.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Memory, string Os, string Runtime, string SqliteVersion, string LoadAverage, DateTime TakenAt)
{
    public static MachineInfo Describe() => new(
        ReadLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        ReadLine("/proc/meminfo", "MemTotal") ?? "unknown",
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        ReadSqliteVersion(),
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown",
        DateTime.UtcNow);

    /// <summary>
    /// CPU time the whole machine has spent busy since boot (every core, every process: /proc/stat less idle and
    /// I/O wait), in seconds; null where there is no /proc. Two readings give how busy the cores were between them.
    /// </summary>
    public static double? BusyCpuSeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice", in clock ticks of 1/100 s. Only the
        // first eight: guest time is already counted in user and nice.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(t => long.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (ticks.Sum() - ticks[3] - ticks[4]) / 100.0;
    }

    private static string? ReadLine(string file, string key) =>
        File.Exists(file)
            ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;

    private static string ReadSqliteVersion()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
    }
}

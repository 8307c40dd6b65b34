using System.Globalization;
using UserManagement.Benchmarks.Scenarios;

namespace UserManagement.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project UserManagement.Benchmarks -- COMMAND [options]</c>:
/// <list type="bullet">
/// <item><c>scenarios --db PATH [--iterations N]</c>: the handler scenarios against a seeded database.</item>
/// </list>
/// Each command prints its figures and keeps them under artifacts/benchmarks/ for the report.
/// </summary>
public static class BenchmarkCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.FirstOrDefault() ?? "help";
        var options = Options.Parse(args.Skip(1));
        switch (command)
        {
            case "scenarios":
                var results = await new ScenarioRunner(new ScenarioOptions(options.Database, options.Iterations), Console.Out).RunAsync();
                await ResultStore.SaveAsync("scenarios", results);
                return 0;
            default:
                Console.WriteLine("Commands: scenarios --db PATH [--iterations N]");
                return 2;
        }
    }

    private sealed record Options(string Database, int Iterations, int Users)
    {
        public static Options Parse(IEnumerable<string> args)
        {
            var list = args.ToList();
            string Value(string name, string fallback) => list.IndexOf(name) is var i and >= 0 && i + 1 < list.Count ? list[i + 1] : fallback;
            return new Options(
                Value("--db", Path.Combine(Path.GetTempPath(), "um-bench", "users-1m.db")),
                int.Parse(Value("--iterations", "200"), CultureInfo.InvariantCulture),
                int.Parse(Value("--users", "1000000").Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture));
        }
    }
}

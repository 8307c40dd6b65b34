using System.Globalization;
using UserManagement.Benchmarks.Browser;
using UserManagement.Benchmarks.Micro;
using UserManagement.Benchmarks.Scenarios;

namespace UserManagement.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project UserManagement.Benchmarks -- COMMAND [options]</c>; <c>bash scripts/benchmarks.sh</c>
/// seeds the database and runs <c>all</c>.
/// <list type="bullet">
/// <item><c>scenarios --db PATH [--iterations N] [--only list,jump,filter,search,get,create,export,audit] [--audit-entries N]</c>: the handlers against a seeded database, with raw baselines.</item>
/// <item><c>micro</c>: BenchmarkDotNet, in process (mediator dispatch).</item>
/// <item><c>browser --db PATH [--contexts N] [--seconds N]</c>: the real app in Chromium (needs a Release build of the web app).</item>
/// <item><c>heap --db PATH [--at 10,50]</c>: the managed heap after a full GC with that many users lists open, the dumps kept
/// under artifacts/benchmarks/heap-N.gcdump to compare by type.</item>
/// <item><c>import [--rows N] [--log file|console] [--command TEXT]</c>: the CSV import's background job against a raw batched insert of the
/// same rows (fresh database files, default 20,000 rows); updates its section of docs/benchmarks.md.</item>
/// <item><c>load --db PATH [--contexts 50] [--seconds 180]</c>: issue 11's load, the browser run with the edit mix (open a user, rename, save), the saves checked in the database and the circuit count read after the contexts close; <c>bash scripts/load.sh</c> runs it.</item>
/// <item><c>events [--iterations N] [--command TEXT]</c>: how long a committed change takes to reach this node's subscribers through
/// the bus's outbox, against in-process publishing (fresh database files); updates its section of docs/benchmarks.md.</item>
/// <item><c>report [--command TEXT]</c>: writes docs/benchmarks.md from the figures kept under artifacts/benchmarks/.</item>
/// <item><c>all --db PATH ...</c>: the three, then the report.</item>
/// </list>
/// </summary>
public static class BenchmarkCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var command = args.FirstOrDefault() ?? "help";
        var options = Options.Parse(args.Skip(1));
        var environment = MachineInfo.Describe();
        switch (command)
        {
            case "scenarios":
                await RunScenariosAsync(options);
                return 0;
            case "micro":
                await ResultStore.SaveAsync("micro", MicroRunner.Run());
                return 0;
            case "browser":
                await RunBrowserAsync(options);
                return 0;
            case "heap":
                await new BrowserLoad(options.Database, 0, TimeSpan.Zero, Console.Out).HeapAsync(
                    [.. options.At.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))]);
                return 0;
            case "import":
                await BenchmarkReport.UpdateImportSectionAsync(await RunImportAsync(options), options.Command);
                return 0;
            case "load":
                await ResultStore.SaveAsync("load-run-before", environment);
                await ResultStore.SaveAsync("load", await new BrowserLoad(options.Database, options.Contexts, TimeSpan.FromSeconds(options.Seconds), Console.Out, edits: true).RunAsync());
                await ResultStore.SaveAsync("load-run-after", MachineInfo.Describe());
                await ResultStore.SaveAsync("load-command", options.Command);
                await LoadReport.WriteAsync();
                return 0;
            case "startup":
                var starts = await new BrowserLoad(options.Database, 1, TimeSpan.Zero, Console.Out).TimeStartsAsync(options.Iterations);
                await BenchmarkReport.UpdateStartupSectionAsync(starts, options.Command, MachineInfo.Describe());
                return 0;
            case "events":
                var (delivery, save) = await new DomainEventLatencyScenario(options.Iterations, Console.Out).RunAsync();
                await BenchmarkReport.UpdateEventsSectionAsync(delivery, save, options.Command, MachineInfo.Describe());
                return 0;
            case "report":
                await BenchmarkReport.WriteAsync(options.Command, environment);
                return 0;
            case "all":
                await ResultStore.SaveAsync("load-before", environment);
                await RunScenariosAsync(options);
                await RunImportAsync(options);
                await ResultStore.SaveAsync("micro", MicroRunner.Run());
                await RunBrowserAsync(options);
                var startups = await new BrowserLoad(options.Database, 1, TimeSpan.Zero, Console.Out).TimeStartsAsync(5);
                await BenchmarkReport.WriteAsync(options.Command, MachineInfo.Describe());
                await BenchmarkReport.UpdateStartupSectionAsync(startups, options.Command, MachineInfo.Describe());
                return 0;
            default:
                Console.WriteLine("Commands: scenarios | heap | import | events | startup | micro | browser | load | report | all   (options: --db PATH --iterations N --rows N --log file|console --contexts N --seconds N --command TEXT --only GROUPS --audit-entries N)");
                return 2;
        }
    }

    private static async Task RunScenariosAsync(Options options)
    {
        var results = await new ScenarioRunner(new ScenarioOptions(options.Database, options.Iterations, Only: options.Only, AuditEntries: options.AuditEntries), Console.Out).RunAsync();
        // A partial run (--only) is for a quick look: it must not replace the full figures the report reads.
        await ResultStore.SaveAsync(options.Only.Count == 0 ? "scenarios" : "scenarios-partial", results);
    }

    private static async Task<ScenarioResult> RunImportAsync(Options options)
    {
        var result = await new ImportScenario(options.Rows, Console.Out, options.Log == "console").RunAsync();
        await ResultStore.SaveAsync("import", result);
        return result;
    }

    private static async Task RunBrowserAsync(Options options)
    {
        var result = await new BrowserLoad(options.Database, options.Contexts, TimeSpan.FromSeconds(options.Seconds), Console.Out).RunAsync();
        await ResultStore.SaveAsync(options.Contexts == 1 ? "browser-single" : "browser", result);
    }

    private sealed record Options(
        string Database, int Iterations, int Rows, string Log, int Contexts, int Seconds, string Command, IReadOnlySet<string> Only, long AuditEntries, string At)
    {
        public static Options Parse(IEnumerable<string> args)
        {
            var list = args.ToList();
            string Value(string name, string fallback) => list.IndexOf(name) is var i and >= 0 && i + 1 < list.Count ? list[i + 1] : fallback;
            return new Options(
                Value("--db", Path.Combine(Path.GetTempPath(), "um-bench", "users-1m.db")),
                int.Parse(Value("--iterations", "200"), CultureInfo.InvariantCulture),
                int.Parse(Value("--rows", "20000"), CultureInfo.InvariantCulture),
                Value("--log", "file"),
                int.Parse(Value("--contexts", "25"), CultureInfo.InvariantCulture),
                int.Parse(Value("--seconds", "120"), CultureInfo.InvariantCulture),
                Value("--command", "bash scripts/benchmarks.sh"),
                Value("--only", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
                long.Parse(Value("--audit-entries", "5000000"), CultureInfo.InvariantCulture),
                Value("--at", "10,50"));
        }
    }
}

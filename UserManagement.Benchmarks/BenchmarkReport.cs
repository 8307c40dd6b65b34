using System.Globalization;
using System.Text;
using UserManagement.Benchmarks.Browser;
using UserManagement.Benchmarks.Micro;
using UserManagement.Benchmarks.Scenarios;

namespace UserManagement.Benchmarks;

/// <summary>
/// Writes docs/benchmarks.md from the figures the commands kept: the targets first, then the detail. It writes
/// measured figures and how they were taken, nothing else: why a figure misses its target, and what it took to get
/// there, is in the hand-kept Notes section at the end, which every command leaves as it is.
/// </summary>
public static class BenchmarkReport
{
    public static async Task WriteAsync(string command, MachineInfo after)
    {
        var old = await ReadAsync();
        var notes = MarkdownSections.Find(old, NotesHeading) ?? EmptyNotes;
        var before = await ResultStore.LoadAsync<MachineInfo>("load-before") ?? after;
        var full = await ResultStore.LoadAsync<List<ScenarioResult>>("scenarios") ?? [];
        // A partial run (--only audit, say) adds the rows the full run lacks; it never replaces a full run's figure.
        var partial = await ResultStore.LoadAsync<List<ScenarioResult>>("scenarios-partial") ?? [];
        List<ScenarioResult> scenarios = [.. full, .. partial.Where(p => full.TrueForAll(f => f.Name != p.Name))];
        var micro = await ResultStore.LoadAsync<List<MicroResult>>("micro") ?? [];
        var browser = await ResultStore.LoadAsync<BrowserResult>("browser");
        var single = await ResultStore.LoadAsync<BrowserResult>("browser-single");

        var md = new StringBuilder();
        md.AppendLine("# Benchmarks").AppendLine();
        md.AppendLine("Written by the benchmarks project (`UserManagement.Benchmarks`): run it again rather than edit by hand. The Notes at the end are the exception: they are kept by hand.").AppendLine();
        md.AppendLine("## How they were taken").AppendLine();
        md.AppendLine(Invariant($"- Command: `{command}` (seeds a database of 1,000,000 users with `seed` if it is missing, builds Release, runs `all`)."));
        md.AppendLine(Invariant($"- Written: {after.TakenAt:yyyy-MM-dd HH:mm} UTC (each section's own command may have run earlier). Machine: {after.Cpu}, {after.Cores} cores, {after.Memory}, {after.Os}, {after.Runtime}, SQLite {after.SqliteVersion}."));
        md.AppendLine(Invariant($"- Load average (1, 5, 15 min) before: {before.LoadAverage}; after: {after.LoadAverage}."));
        md.AppendLine("- **The machine is shared**: up to six engineers build and test on the same 2 cores, so absolute times, and p95/p99 above all, swing from run to run. Each handler figure comes with a baseline timed in the same run (raw Microsoft.Data.Sqlite doing the same read or write, or the old `instr()` scan); the ratio between them is the steadier figure.");
        md.AppendLine("- Handler figures call the real handlers through the mediator and its three pipeline steps (telemetry, authorization, validation), with a fixed administrator as the caller whose session counts as confirmed: what a cached session check gives (the per-message session check is a database read of its own and is in the browser figures, not these).");
        md.AppendLine("- Get user by id and create user are timed call by call, alternating with their raw baseline, and the raw side does the same work: it opens a pooled connection per call as the handler does (get), and writes the user and its audit entry in one transaction (create). Allocations per call are in the last column.").AppendLine();

        md.AppendLine("## Targets").AppendLine();
        md.AppendLine("| figure | how measured | target | measured | met | when not: why, and next step |");
        md.AppendLine("|---|---|---|---|---|---|");
        Target(md, scenarios, "List page (25 rows) with total", "handler, in-process", "p95 ≤ 2 ms", "list", notes);
        Target(md, scenarios, "Jump to an arbitrary page", "handler", "p95 ≤ 30 ms", "jump", notes);
        Target(md, scenarios, "Filter by role and status", "handler", "p95 ≤ 5 ms", "filter", notes);
        foreach (var search in scenarios.Where(s => s.Name.StartsWith("Substring search", StringComparison.Ordinal)))
        {
            Target(md, [search], search.Name, "handler, same run as the scan", "p95 ≤ 10 ms and ≥ 15× the instr() scan", "search", notes);
        }

        Target(md, scenarios, "Get user by id", "handler vs raw SELECT, interleaved, a connection opened per call on both sides", "≥ 33% of raw", "get", notes);
        Target(md, scenarios, "Create user", "handler vs raw INSERTs of the user and its audit entry in one transaction, interleaved", "≥ 50% of raw", "create", notes);
        Target(md, scenarios, ExportScenario.Name, "handler (ExportUsersQuery, pages of 1,000, the app's CSV writer) vs one raw SELECT into the same writer, alternating", "100,000 rows in ≤ 5 s", "export", notes);
        var direct = micro.Find(m => m.Name == DispatchBenchmarks.DirectCall);
        foreach (var m in micro.Where(m => m != direct))
        {
            var met = m.MeanNanoseconds <= 10 && m.AllocatedBytes == 0;
            var baseline = direct is null ? string.Empty : Invariant($"; the handler called directly, same run: {direct.MeanNanoseconds:0.0} ns");
            md.AppendLine(Invariant($"| Mediator dispatch, no pipeline steps ({m.Name}) | BenchmarkDotNet, in process | ≤ 10 ns, 0 B | {m.MeanNanoseconds:0.0} ns, {m.AllocatedBytes} B{baseline} | {(met ? "yes" : "**no**")} | {(met ? string.Empty : NoteLink(notes, "dispatch"))} |"));
        }

        if (browser is null)
        {
            md.AppendLine("| Browser figures | Chromium | see issue 8 | not run | – | Run `browser`. |");
        }
        else
        {
            Row(md, "Click next page → new rows in the DOM", Invariant($"Chromium, {browser.Contexts} contexts for {browser.Seconds:0} s"), "p95 ≤ 50 ms, zero circuit errors",
                Invariant($"p50 {Samples.Ms(browser.NextPage.P50)} ms, p95 {Samples.Ms(browser.NextPage.P95)} ms (n={browser.NextPage.Count}); {browser.CircuitErrors} steps or searches timed out (no rows within 10 s) or failed"),
                browser.NextPage.P95 <= 50 && browser.CircuitErrors == 0, "click", notes);
            Row(md, Invariant($"Keystroke in search → matching rows, minus the {browser.SearchDebounceMilliseconds} ms pause the search waits for"), "same run", "p95 ≤ 150 ms",
                Invariant($"p50 {Samples.Ms(browser.Search.P50)} ms, p95 {Samples.Ms(browser.Search.P95)} ms (n={browser.Search.Count})"), browser.Search.P95 <= 150, "keystroke", notes);
            Row(md, "Retained server memory per circuit", "managed heap after a full GC (dotnet-gcdump) at 10 and 50 open circuits", "≤ 500 KB",
                Invariant($"{browser.RetainedKilobytesPerCircuit:0} KB ({browser.HeapAt10Bytes / 1048576.0:0.0} MB → {browser.HeapAt50Bytes / 1048576.0:0.0} MB)"), browser.RetainedKilobytesPerCircuit <= 500, "memory", notes);
            Row(md, "Process start to first page served", "the 1M database: `dotnet UserManagement.Web.dll` until /signin answers", "≤ 3 s",
                Invariant($"{browser.StartToSignInPageSeconds:0.00} s (signed in and the users list shown: {browser.StartToFirstUsersPageSeconds:0.00} s)"), browser.StartToSignInPageSeconds <= 3, "startup", notes);
        }

        if (single is not null)
        {
            md.AppendLine().AppendLine("## One browser context").AppendLine();
            md.AppendLine(Invariant($"The same script with one context for {single.Seconds:0} s (`browser --contexts 1`), so that Chromium and the server do not share the cores with 24 more pages: what one administrator feels on this machine."));
            md.AppendLine().AppendLine("| figure | p50 | p95 | p99 | n |").AppendLine("|---|---|---|---|---|");
            md.AppendLine(Invariant($"| Click next page → new rows in the DOM | {Samples.Ms(single.NextPage.P50)} ms | {Samples.Ms(single.NextPage.P95)} ms | {Samples.Ms(single.NextPage.P99)} ms | {single.NextPage.Count} |"));
            md.AppendLine(Invariant($"| Keystroke in search → matching rows, minus the {single.SearchDebounceMilliseconds} ms pause | {Samples.Ms(single.Search.P50)} ms | {Samples.Ms(single.Search.P95)} ms | {Samples.Ms(single.Search.P99)} ms | {single.Search.Count} |"));
            md.AppendLine().AppendLine(Invariant($"Steps that timed out or failed: {single.CircuitErrors}. Start to the sign-in page answering: {single.StartToSignInPageSeconds:0.00} s."));
        }

        md.Append(ImportSection(await ResultStore.LoadAsync<ScenarioResult>("import"), command, notes));

        md.AppendLine().AppendLine("## Every scenario").AppendLine();
        md.AppendLine("Milliseconds. Ratio = baseline p50 ÷ handler p50: above 1 the handler is that many times faster than the baseline; below 1 it is the share of the raw speed it keeps.").AppendLine();
        md.AppendLine("| scenario | n | p50 | p95 | p99 | baseline | baseline p50 | baseline p95 | ratio | note |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in scenarios)
        {
            md.AppendLine(Invariant($"| {s.Name} | {s.Handler.Count} | {Samples.Ms(s.Handler.P50)} | {Samples.Ms(s.Handler.P95)} | {Samples.Ms(s.Handler.P99)} | {s.BaselineName ?? "–"} | {(s.Baseline is null ? "–" : Samples.Ms(s.Baseline.P50))} | {(s.Baseline is null ? "–" : Samples.Ms(s.Baseline.P95))} | {(s.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "–")} | {s.Note ?? string.Empty} |"));
        }

        var audit = scenarios.Where(x => x.Name.StartsWith("Audit page", StringComparison.Ordinal)).ToList();
        if (audit.Count > 0)
        {
            md.AppendLine().AppendLine("## Audit trail").AppendLine();
            md.AppendLine("The audit page (`ListAuditEntriesQuery`, keyset on OccurredAt and Id, 25 entries) over a trail of its own: a mix of sign-ins and changes by 20 administrators about 200,000 users over two years, written with raw INSERTs (see `AuditScenarios`). Each filter seeks its own index; `AuditQueryPlanTests` pins the plans. Search is not timed: the seeded entries are not in the full-text index.").AppendLine();
            md.AppendLine("| page | p50 | p95 | raw keyset SELECT p50 | ratio |").AppendLine("|---|---|---|---|---|");
            foreach (var a in audit)
            {
                md.AppendLine(Invariant($"| {a.Name} | {Samples.Ms(a.Handler.P50)} ms | {Samples.Ms(a.Handler.P95)} ms | {(a.Baseline is null ? "–" : Samples.Ms(a.Baseline.P50))} ms | {a.Ratio:0.00} |"));
            }
        }

        md.AppendLine().AppendLine("## BenchmarkDotNet").AppendLine();
        md.AppendLine("| benchmark | mean | standard error | allocated |").AppendLine("|---|---|---|---|");
        foreach (var m in micro)
        {
            md.AppendLine(Invariant($"| {m.Name} | {m.MeanNanoseconds:0.00} ns | {m.ErrorNanoseconds:0.00} ns | {m.AllocatedBytes} B |"));
        }

        md.Append(await LoadReport.RenderAsync());
        md.AppendLine().AppendLine("## Reproduce").AppendLine();
        md.AppendLine("```bash");
        md.AppendLine("bash scripts/benchmarks.sh                     # everything, about 15 minutes (plus about 3 to seed a million users the first time); writes this file");
        md.AppendLine("USERS=20000 bash scripts/benchmarks.sh         # a quick look on a small database");
        md.AppendLine("bash scripts/load.sh                           # issue 11's load: 50 contexts for 180 s on 100,000 users; rewrites only its section");
        md.AppendLine("CONTEXTS=10 SECONDS_=30 bash scripts/load.sh   # a short check of the same");
        md.AppendLine("dotnet run -c Release --project UserManagement.Benchmarks -- scenarios --db /tmp/um-bench/users-1000000.db");
        md.AppendLine("dotnet run -c Release --project UserManagement.Benchmarks -- scenarios --db /tmp/um-bench/users-1000000.db --only get,create   # a quick look; not kept for the report");
        md.AppendLine("dotnet run -c Release --project UserManagement.Benchmarks -- scenarios --db /tmp/um-bench/users-1000000.db --only export    # the users CSV export, 100,000 rows, against raw");
        md.AppendLine("dotnet run -c Release --project UserManagement.Benchmarks -- scenarios --db /tmp/um-bench/users-1000000.db --only audit     # the audit page over 5,000,000 entries (seeds /tmp/um-bench/audit-5000000.db once)");
        md.AppendLine("dotnet run -c Release --project UserManagement.Benchmarks -- import --rows 20000   # the import against raw, about a minute; updates its section");
        md.AppendLine("```").AppendLine();
        md.AppendLine("CI does not run these. `dotnet test` runs the scenario runner on 20,000 users to prove it works (no times asserted), and `UserListQueryPlanTests` pins the query plans the figures depend on.");
        md.Append(EmptyNotes);

        // The start-up and event-delivery sections come from commands of their own (`startup`, `events`), the notes from
        // a person: keep them as they are.
        var text = MarkdownSections.Keep(md.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), old, Before, EventsHeading, StartupHeading, NotesHeading);
        await File.WriteAllTextAsync(DocPath(), text);
        Console.WriteLine($"Wrote {DocPath()}");
    }

    private const string ImportHeading = "## Bulk import";

    private const string EventsHeading = "## Domain event delivery";

    private const string StartupHeading = "## Start-up";

    private const string NotesHeading = "## Notes";

    /// <summary>Where a section that a command adds goes when the file has none yet.</summary>
    private const string Before = "\n## Every scenario";

    /// <summary>The notes section before anyone wrote a note.</summary>
    private const string EmptyNotes =
        "\n" + NotesHeading + "\n\nKept by hand: the benchmark commands rewrite every other section and leave this one as it is. "
        + "A figure that misses its target links to its note, a `### Note: <key>` heading here; when the figure's story changes, change its note. "
        + "A note's figures are those of the run or the investigation it tells of, not those of the tables above.\n";

    private static string DocPath() => Path.Combine(ResultStore.RepositoryRoot(), "docs", "benchmarks.md");

    private static async Task<string> ReadAsync() =>
        File.Exists(DocPath()) ? (await File.ReadAllTextAsync(DocPath())).Replace("\r\n", "\n", StringComparison.Ordinal) : string.Empty;

    /// <summary>A link to the note on <paramref name="key"/> (heading <c>### Note: key</c>), or what is missing where there is none.</summary>
    private static string NoteLink(string notes, string key) =>
        notes.Contains($"\n### Note: {key}\n", StringComparison.Ordinal)
            ? $"[Note: {key}](#note-{key})"
            : $"no note yet: add `### Note: {key}` under Notes";

    /// <summary>
    /// Writes the import's section into the existing docs/benchmarks.md (replacing the one there, or before
    /// "Every scenario" when there is none), so that <c>import</c> alone updates its figure and keeps the others.
    /// </summary>
    public static async Task UpdateImportSectionAsync(ScenarioResult import, string command) =>
        await UpdateSectionAsync(ImportHeading, ImportSection(import, command, MarkdownSections.Find(await ReadAsync(), NotesHeading) ?? EmptyNotes).ToString());

    /// <summary>Writes the domain-event latency section (issue 10, ADR 0021) of docs/benchmarks.md, leaving the rest as it is.</summary>
    public static Task UpdateEventsSectionAsync(ScenarioResult delivery, ScenarioResult save, string command, MachineInfo machine)
    {
        var md = new StringBuilder();
        md.AppendLine().AppendLine(EventsHeading).AppendLine();
        md.AppendLine(Invariant($"Command: `{command}`, {machine.TakenAt:yyyy-MM-dd HH:mm} UTC, {machine.Cores} cores, load average {machine.LoadAverage}. A fresh database file per side, the bus running as in the app; 20 saves first warm up. Each save creates one user; the time runs from the start of `SaveChangesAsync` until a subscriber of this node is called with the event (the live updates promise 1 s)."));
        md.AppendLine();
        md.AppendLine("| figure | outbox (ADR 0021) | in process (before) | target | met |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var result in new[] { delivery, save })
        {
            md.AppendLine(Invariant($"| {result.Name} | p50 {result.Handler.P50:0.0} ms, p95 {result.Handler.P95:0.0} ms, max {result.Handler.Milliseconds.Max():0.0} ms | p50 {result.Baseline!.P50:0.0} ms, p95 {result.Baseline.P95:0.0} ms | {result.Target ?? "-"} | {(result.Met switch { true => "yes", false => "**no**", null => "-" })} |"));
        }

        return UpdateSectionAsync(EventsHeading, md.ToString());
    }

    public static Task UpdateStartupSectionAsync(Samples starts, string command, MachineInfo machine)
    {
        var md = new StringBuilder();
        md.AppendLine().AppendLine(StartupHeading).AppendLine();
        md.AppendLine(Invariant($"Command: `{command}`, {machine.TakenAt:yyyy-MM-dd HH:mm} UTC, {machine.Cores} cores, load average {machine.LoadAverage}. The Release build started with `dotnet UserManagement.Web.dll` on the database, timed from the process start until /signin answers 200, then stopped; no migration pending. Target ≤ 3 s."));
        md.AppendLine();
        md.AppendLine("| figure | min | p50 | max | runs | met (p50) |");
        md.AppendLine("|---|---|---|---|---|---|");
        md.AppendLine(Invariant($"| Process start to the sign-in page answering | {starts.Milliseconds.Min() / 1000:0.00} s | {starts.P50 / 1000:0.00} s | {starts.Milliseconds.Max() / 1000:0.00} s | {starts.Count} | {(starts.P50 <= 3000 ? "yes" : "**no**")} |"));
        return UpdateSectionAsync(StartupHeading, md.ToString());
    }

    /// <summary>Replaces the section under <paramref name="heading"/> (or inserts it before "Every scenario").</summary>
    private static async Task UpdateSectionAsync(string heading, string section)
    {
        var text = MarkdownSections.Replace(await ReadAsync(), heading, section.Replace("\r\n", "\n", StringComparison.Ordinal), Before);
        await File.WriteAllTextAsync(DocPath(), text);
        Console.WriteLine($"Updated the section {heading} of {DocPath()}");
    }

    private static StringBuilder ImportSection(ScenarioResult? import, string command, string notes)
    {
        var md = new StringBuilder();
        md.AppendLine().AppendLine(ImportHeading).AppendLine();
        if (import is null)
        {
            md.AppendLine("Not run: `import`.");
            return md;
        }

        md.AppendLine(Invariant($"Command: `{command}`. Each side on a fresh database file, in the same run; one import of 1,000 rows first warms both up. Ratio = raw time ÷ import time, so the share of the raw rate the import keeps (target ≥ 0.50)."));
        md.AppendLine();
        md.AppendLine("| figure | import | raw | rates | ratio | met |");
        md.AppendLine("|---|---|---|---|---|---|");
        md.AppendLine(Invariant($"| {import.Name} | {Samples.Ms(import.Handler.P50)} ms | {Samples.Ms(import.Baseline!.P50)} ms ({import.BaselineName}) | {import.Note} | {import.Ratio:0.00} | {(import.Met == true ? "yes" : "**no**")} |"));
        md.AppendLine();
        md.AppendLine(Invariant($"The history of this figure, and where the import's time goes: {NoteLink(notes, "import")}."));
        return md;
    }

    private static void Target(StringBuilder md, IEnumerable<ScenarioResult> scenarios, string prefix, string how, string target, string reason, string notes)
    {
        var s = scenarios.FirstOrDefault(x => x.Name.StartsWith(prefix, StringComparison.Ordinal));
        if (s is null)
        {
            md.AppendLine(Invariant($"| {prefix} | {how} | {target} | not run | – | |"));
            return;
        }

        var measured = Invariant($"p50 {Samples.Ms(s.Handler.P50)} ms, p95 {Samples.Ms(s.Handler.P95)} ms, p99 {Samples.Ms(s.Handler.P99)} ms (n={s.Handler.Count})");
        if (s.Baseline is not null)
        {
            measured += Invariant($"; {s.BaselineName} p50 {Samples.Ms(s.Baseline.P50)} ms; ratio {s.Ratio:0.00}");
        }

        Row(md, s.Name, how, target, measured, s.Met ?? false, reason, notes);
    }

    private static void Row(StringBuilder md, string name, string how, string target, string measured, bool met, string reason, string notes) =>
        md.AppendLine(Invariant($"| {name} | {how} | {target} | {measured} | {(met ? "yes" : "**no**")} | {(met ? string.Empty : NoteLink(notes, reason))} |"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

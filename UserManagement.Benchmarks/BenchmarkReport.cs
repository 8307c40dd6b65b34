using System.Globalization;
using System.Text;
using UserManagement.Benchmarks.Browser;
using UserManagement.Benchmarks.Micro;
using UserManagement.Benchmarks.Scenarios;

namespace UserManagement.Benchmarks;

/// <summary>Writes docs/benchmarks.md from the figures the commands kept: the targets first, then the detail.</summary>
public static class BenchmarkReport
{
    /// <summary>Why a target can be missed and what would come next, said where the figure misses it.</summary>
    private static readonly Dictionary<string, string> WhenMissed = new(StringComparer.Ordinal)
    {
        ["list"] = "The SQL itself stays near 0.2 ms (see the raw column); the tail comes from the shared machine (other builds and tests on the same 2 cores) stalling single calls. Next: rerun on a quiet machine; if the tail stays, look at allocations per call (EF Core context, mediator scope).",
        ["jump"] = "With the page anchors read, a jump seeks to the anchor before its page and skips at most 1,000 index entries (ADR 0022). Right after a write to Users the anchors are stale: the next jump on an order pages by OFFSET as before and has them read again in the background (next row of the table). Next: nothing for this figure; for lists written to all the time, bound how often the anchors are read again.",
        ["filter"] = "The seek on the role-and-status index is about 0.1 ms raw; the tail is the shared machine. Next: rerun on a quiet machine.",
        ["search"] = "A common term's matches (2,869 for \"heuvel\") are fetched through the trigram index and sorted: one row read per match, and on this machine the tail is the shared cores. A long term (an email fragment) now asks the trigram index for its four rarest trigrams only, by the counts in UserListTrigramCounts (ADR 0022), and the rows' instr() conditions keep the answer exact: p50 went from 26 ms to 1.6 ms in the same hour. A covering index (Seq, NameKey, Id) was tried on the 1M file: about 3 ms of CPU for the first page of \"heuvel\" against 4 ms without, not worth one more index per sort key on every write. Next: rerun on a quiet machine.",
        ["get"] = "The read is a compiled EF Core query now (an uncompiled one spent about 170 µs of its 245 µs looking itself up in EF Core's query cache; ADR 0018). What is left: EF Core opening the pooled connection (about 33 µs and 6 KB: it registers its SQL functions on the native connection at every open, where raw Microsoft.Data.Sqlite opens in about 5 µs), EF Core's command and materializer (about 35 µs), the three pipeline steps (about 12 µs, 1.4 KB). Next, if the target matters more than one way of reading: read this one row with Microsoft.Data.Sqlite behind the handler, as the list's reader does.",
        ["create"] = "Both sides pay one fsync per commit (synchronous=FULL), which swings more than anything the code does: the ratio moved between 0.46 and 0.50 from run to run on the same code. The handler adds the email check the validator reads first, EF Core's change tracking and the audit trail's bookkeeping (about 80 KB allocated per create against 10 KB raw). Next: fewer allocations per save (EF Core's change tracker on a context made for one user).",
        ["export"] = "The export reads the list a page of 1,000 rows at a time through the read side (a keyset seek per page) and writes each row as it comes; the raw side reads the same rows in one statement. Next: a larger page, or one statement for the whole export on SQLite.",
        ["dispatch"] = "The typed call meets it. Through ISender the generated mediator first switches on the message's type, then runs the same code: a few ns more, where the handler called directly costs the figure given beside it (same run). Mediator 3.0.2 is the newest version served here; the pages keep ISender, whose cost is below the noise of a circuit message. The app's mediator is scoped (one per circuit) and its three steps take scoped services; the same benchmark built scoped measured 156 ns (typed) and 128 ns (ISender), 64 B, on 2026-12-01 (ADR 0018).",
        ["click"] = "25 Chromium pages and the server share the 2 cores: the run itself takes the load average from under 3 to about 25, and each click waits for a core. One context alone (section below) is what one administrator feels on this machine: tens of ms. Next: run Chromium on another machine than the server, and render fewer components per row (the buttons, check box, chip and link that remain after ADR 0023).",
        ["keystroke"] = "As for the click, plus the grid is rebuilt for a new search. The script waits for the URL to carry the term as well as for matching rows: the unfiltered page can already contain a short term (\"er\", \"ka\") in every row.",
        ["memory"] = "Nearly all of it is component instances: Blazor keeps, for every component of an open circuit, its state and two render tree builders whose frame arrays (about 1.5 KB each, even for three frames) live as long as the circuit. A gcdump diff (`heap --at 10,50`) found 947 components per circuit on /users, 4,934 KB, before ADR 0023 took the row tooltips (a MudTooltip is four components: tooltip, child container, MudPopover, MudRender) and the status and last sign-in cells out of the component tree: 582 components, 3,188 KB (100,000 users, Release, same command). Next: the row buttons as plain markup (each MudIconButton is two components: about 160 per circuit), then rows without any component (a grid whose cells are render fragments, e.g. QuickGrid, in place of MudDataGrid's check box, chip and link per row). Of the 3,188 KB, about 2.3 MB is per-component structures (frame arrays, builders, component state, attribute dictionaries, the components); the rest, under 1 MB, is the circuit's own (SignalR buffers, JSRuntime's JSON metadata caches, the DI scope, MudBlazor's scoped services), so 500 KB needs more than fewer components.",
        ["startup"] = "EF Core built its model from the configurations on the first context (4.3 s of a loaded start); the app now loads a compiled model (ADR 0024). The first-administrator check reads a partial index, and a start with no migration pending takes no migration lock (ADR 0018). The rest is .NET, ASP.NET Core, Wolverine and the first page's JIT on a shared machine; `startup --iterations 5` times starts alone (section Start-up). Next: run it on a quiet machine; then ReadyToRun for the JIT share.",
    };

    public static async Task WriteAsync(string command, MachineInfo after)
    {
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
        md.AppendLine("Written by the benchmarks project (`UserManagement.Benchmarks`); do not edit by hand, run it again.").AppendLine();
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
        Target(md, scenarios, "List page (25 rows) with total", "handler, in-process", "p95 ≤ 2 ms", "list");
        Target(md, scenarios, "Jump to an arbitrary page", "handler", "p95 ≤ 30 ms", "jump");
        Target(md, scenarios, "Filter by role and status", "handler", "p95 ≤ 5 ms", "filter");
        foreach (var search in scenarios.Where(s => s.Name.StartsWith("Substring search", StringComparison.Ordinal)))
        {
            Target(md, [search], search.Name, "handler, same run as the scan", "p95 ≤ 10 ms and ≥ 15× the instr() scan", "search");
        }

        Target(md, scenarios, "Get user by id", "handler vs raw SELECT, interleaved, a connection opened per call on both sides", "≥ 33% of raw", "get");
        Target(md, scenarios, "Create user", "handler vs raw INSERTs of the user and its audit entry in one transaction, interleaved", "≥ 50% of raw", "create");
        Target(md, scenarios, ExportScenario.Name, "handler (ExportUsersQuery, pages of 1,000, the app's CSV writer) vs one raw SELECT into the same writer, alternating", "100,000 rows in ≤ 5 s", "export");
        var direct = micro.Find(m => m.Name == DispatchBenchmarks.DirectCall);
        foreach (var m in micro.Where(m => m != direct))
        {
            var met = m.MeanNanoseconds <= 10 && m.AllocatedBytes == 0;
            var baseline = direct is null ? string.Empty : Invariant($"; the handler called directly, same run: {direct.MeanNanoseconds:0.0} ns");
            md.AppendLine(Invariant($"| Mediator dispatch, no pipeline steps ({m.Name}) | BenchmarkDotNet, in process | ≤ 10 ns, 0 B | {m.MeanNanoseconds:0.0} ns, {m.AllocatedBytes} B{baseline} | {(met ? "yes" : "**no**")} | {(met ? string.Empty : WhenMissed["dispatch"])} |"));
        }

        if (browser is null)
        {
            md.AppendLine("| Browser figures | Chromium | see issue 8 | not run | – | Run `browser`. |");
        }
        else
        {
            Row(md, "Click next page → new rows in the DOM", Invariant($"Chromium, {browser.Contexts} contexts for {browser.Seconds:0} s"), "p95 ≤ 50 ms, zero circuit errors",
                Invariant($"p50 {Samples.Ms(browser.NextPage.P50)} ms, p95 {Samples.Ms(browser.NextPage.P95)} ms (n={browser.NextPage.Count}); {browser.CircuitErrors} steps or searches timed out (no rows within 10 s) or failed"),
                browser.NextPage.P95 <= 50 && browser.CircuitErrors == 0, "click");
            Row(md, Invariant($"Keystroke in search → matching rows, minus the {browser.SearchDebounceMilliseconds} ms pause the search waits for"), "same run", "p95 ≤ 150 ms",
                Invariant($"p50 {Samples.Ms(browser.Search.P50)} ms, p95 {Samples.Ms(browser.Search.P95)} ms (n={browser.Search.Count})"), browser.Search.P95 <= 150, "keystroke");
            Row(md, "Retained server memory per circuit", "managed heap after a full GC (dotnet-gcdump) at 10 and 50 open circuits", "≤ 500 KB",
                Invariant($"{browser.RetainedKilobytesPerCircuit:0} KB ({browser.HeapAt10Bytes / 1048576.0:0.0} MB → {browser.HeapAt50Bytes / 1048576.0:0.0} MB)"), browser.RetainedKilobytesPerCircuit <= 500, "memory");
            Row(md, "Process start to first page served", "the 1M database: `dotnet UserManagement.Web.dll` until /signin answers", "≤ 3 s",
                Invariant($"{browser.StartToSignInPageSeconds:0.00} s (signed in and the users list shown: {browser.StartToFirstUsersPageSeconds:0.00} s)"), browser.StartToSignInPageSeconds <= 3, "startup");
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

        md.Append(ImportSection(await ResultStore.LoadAsync<ScenarioResult>("import"), command));

        md.AppendLine().AppendLine("## Where the ~350 ms per page went, beyond SQL").AppendLine();
        md.AppendLine("Before this change a click on *next page* cost 343-428 ms at 1M users. What it was made of, and what changed:").AppendLine();
        md.AppendLine("- **SQL (most of it).** `COUNT(*)` (45-250 ms) and `OFFSET` on the Users table on every page. Now the count is read from `UserListCounts` and the page is a keyset seek from the cursor the previous page returned: about 0.2 ms raw, 0.3-0.4 ms through the handler (tables above).");
        md.AppendLine("- **The grid loading twice: it did not.** `ServerData` runs once per step (bUnit: one `ListUsersQuery` per step, `UserListTests`).");
        md.AppendLine("- **Rendering three times.** A step rendered the whole grid (25 rows, each with tooltips and four buttons) three times: when its rows arrived, when `LoadAsync` asked the page to render the count again, and when the URL change it pushed came back as new query parameters. Now the page renders again only when the count, the search note or the error changed, and skips the render for a URL that only echoes what the grid shows: one render per step.");
        md.AppendLine("- **The URL round trip** (`NavigateTo`, so Back works) stays; it costs a message to the browser and back, and no render now.");
        md.AppendLine("- **The per-message session check** is one indexed read (about 0.1-0.2 ms); it is not cached, because docs/security.md promises that an ended session stops working at the next message (ADR 0011).");
        md.AppendLine("- **Per connection settings.** Every EF Core operation ran five PRAGMAs on a pooled connection that already had them; now only the first use of each native connection does. Every connection memory-maps the file, so reading a row costs no system call.");

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

        var file = Path.Combine(ResultStore.RepositoryRoot(), "docs", "benchmarks.md");
        // The start-up and event-delivery sections come from commands of their own (`startup`, `events`): keep them.
        var kept = File.Exists(file) ? KeptSections(await File.ReadAllTextAsync(file)) : [];
        await File.WriteAllTextAsync(file, md.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        foreach (var (heading, section) in kept)
        {
            await UpdateSectionAsync(heading, section, "\n## Where the");
        }

        Console.WriteLine($"Wrote {file}");
    }

    private static List<(string Heading, string Section)> KeptSections(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        return [.. new[] { EventsHeading, StartupHeading }
            .Select(heading => (heading, Section: MarkdownSections.Find(text, heading)))
            .Where(kept => kept.Section is not null)
            .Select(kept => (kept.heading, kept.Section!))];
    }

    private const string ImportHeading = "## Bulk import";

    private const string EventsHeading = "## Domain event delivery";

    private const string StartupHeading = "## Start-up";

    /// <summary>
    /// Writes the import's section into the existing docs/benchmarks.md (replacing the one there, or before
    /// "Where the ~350 ms..." when there is none), so that <c>import</c> alone updates its figure and keeps the others.
    /// </summary>
    public static Task UpdateImportSectionAsync(ScenarioResult import, string command) =>
        UpdateSectionAsync(ImportHeading, ImportSection(import, command).ToString(), "\n## Where the");

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

        return UpdateSectionAsync(EventsHeading, md.ToString(), "\n## Where the");
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
        return UpdateSectionAsync(StartupHeading, md.ToString(), "\n## Where the");
    }

    /// <summary>Replaces the section under <paramref name="heading"/> (or inserts it before <paramref name="before"/>).</summary>
    private static async Task UpdateSectionAsync(string heading, string section, string before)
    {
        var file = Path.Combine(ResultStore.RepositoryRoot(), "docs", "benchmarks.md");
        var text = (await File.ReadAllTextAsync(file)).Replace("\r\n", "\n", StringComparison.Ordinal);
        section = section.Replace("\r\n", "\n", StringComparison.Ordinal);
        text = MarkdownSections.Replace(text, heading, section, before);
        await File.WriteAllTextAsync(file, text);
        Console.WriteLine($"Updated the section {heading} of {file}");
    }

    private static StringBuilder ImportSection(ScenarioResult? import, string command)
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
        md.AppendLine(ImportHistory);
        return md;
    }

    /// <summary>What the import figure was before, and what changed it.</summary>
    private const string ImportHistory =
        "History of this figure (20,000 rows, same command, issue 10): before the bulk-logging change, with a log line at Information per imported user, "
        + "ratio 0.67 (log into a file) and 0.56 (`--log console`, as the app logs); after it (a summary line per action and batch at Information, each "
        + "entry at Debug; change detection once per batch instead of at every query and save; the event subscribers' lookup cached) runs gave 0.49 (`--log console`, the log change alone), "
        + "0.55, 0.57, 0.33 and 0.56 (the table). The import side stayed at 14-21 s in every run while the raw side swung from 6.5 s to 13 s with the load of the shared "
        + "machine (load average 12-16 on 2 cores, other engineers' test runs): the per-user log line was not what held the import back here, and one "
        + "run is not enough to call the target met. The ~9% quoted in the task was not found in any docs/benchmarks.md and was not reproduced. "
        + "Where the time goes: about two thirds of the import is SQL (three commands per user: the user, its audit entry, and the import row's outcome, "
        + "which is what makes a redelivered message idempotent; the raw side does the first two); the rest is EF Core building those commands and the domain. "
        + "Next: several rounds alternating the two sides, reporting the median ratio; then fewer statements for the import rows' outcomes "
        + "(one UPDATE marking a batch's created rows) and a look at EF Core's per-entity cost with a profiler.";

    private static void Target(StringBuilder md, IEnumerable<ScenarioResult> scenarios, string prefix, string how, string target, string reason)
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

        Row(md, s.Name, how, target, measured, s.Met ?? false, reason);
    }

    private static void Row(StringBuilder md, string name, string how, string target, string measured, bool met, string reason) =>
        md.AppendLine(Invariant($"| {name} | {how} | {target} | {measured} | {(met ? "yes" : "**no**")} | {(met ? string.Empty : WhenMissed[reason])} |"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

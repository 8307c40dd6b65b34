using System.Text;
using UserManagement.Benchmarks.Browser;
using UserManagement.Benchmarks.Scenarios;
using static System.FormattableString;

namespace UserManagement.Benchmarks;

/// <summary>
/// The "Load (issue 11)" section of docs/benchmarks.md, from the last <c>load</c> run. The <c>load</c> command
/// replaces only this section (it runs apart from <c>all</c>); the full report includes it as it stands.
/// </summary>
public static class LoadReport
{
    private const string Heading = "## Load (issue 11)";
    private const string Next = "## Reproduce";

    public static async Task<string> RenderAsync()
    {
        var load = await ResultStore.LoadAsync<BrowserResult>("load");
        if (load?.Writes is not { } writes || load.Save is not { } save)
        {
            return string.Empty;
        }

        var before = await ResultStore.LoadAsync<MachineInfo>("load-run-before");
        var after = await ResultStore.LoadAsync<MachineInfo>("load-run-after");
        var command = await ResultStore.LoadAsync<string>("load-command") ?? "bash scripts/load.sh";
        var events = load.Events;
        var md = new StringBuilder();
        md.AppendLine().AppendLine(Heading).AppendLine();
        md.AppendLine(Invariant($"- Command: `{command}` ({load.Contexts} Chromium contexts for {load.Seconds:0} s; each keeps one circuit and mixes next page 4 : sort 1 : search 2 : open a user, rename and save 3)."));
        md.AppendLine(Invariant($"- Date: {after?.TakenAt:yyyy-MM-dd HH:mm} UTC. Load average (1, 5, 15 min) before: {before?.LoadAverage}; after: {after?.LoadAverage} on {after?.Cores} cores shared with other engineers' builds and tests, and with the {load.Contexts} pages' own Chromium."));
        md.AppendLine().AppendLine("| criterion | target | measured | met |").AppendLine("|---|---|---|---|");
        Row(md, "Circuit errors (timed-out or failed steps, console errors, reconnect dialog / error UI shown, server `fail`/`crit` log entries)", "0",
            Invariant($"{load.CircuitErrors} failed steps or console errors (each reconnect/error UI shown is logged as one too), {load.CircuitTroubleShown} reconnect/error UI shown, {load.ServerErrors} server errors"),
            load.CircuitErrors == 0 && load.CircuitTroubleShown == 0 && load.ServerErrors == 0);
        Row(md, "Lost or duplicated writes (raw SQLite after the run)", "0",
            Invariant($"{writes.Acknowledged} saves acknowledged on {writes.UsersEdited} users ({writes.Unacknowledged} not acknowledged): {writes.Lost} users not holding their last acknowledged name, {writes.MissingAudit} acknowledged saves without an audit entry, {writes.DuplicatedAudit} with more than one"),
            writes.Clean && writes.Acknowledged > 0);
        Row(md, "p95 event handling (next page, search minus its 300 ms pause, save → \"Changes saved.\")", "< 250 ms",
            Invariant($"p95 {Samples.Ms(events.P95)} ms (n={events.Count}); next page p95 {Samples.Ms(load.NextPage.P95)} ms (n={load.NextPage.Count}), search p95 {Samples.Ms(load.Search.P95)} ms (n={load.Search.Count}), save p95 {Samples.Ms(save.P95)} ms (n={save.Count})"),
            events.Count > 0 && events.P95 < 250);
        Row(md, "Open circuits after the contexts close (`usermanagement.circuits.open`, read with dotnet-counters)", "0",
            load.CircuitsAfterClose is { } c ? Invariant($"{c} after {load.SecondsToZeroCircuits:0} s") : "not reported by the meter",
            load.CircuitsAfterClose == 0);
        if (load.Cpu is { } cpu)
        {
            md.AppendLine().AppendLine(Invariant($"Where the CPU went while the contexts ran ({cpu.WallSeconds:0} s on {cpu.Cores} cores, from /proc/stat and the app's process): the machine was busy {cpu.MachineBusySeconds:0} s of {cpu.WallSeconds * cpu.Cores:0} s ({cpu.BusyShareOfCores:P0}); the app used {cpu.ServerSeconds:0.0} s of it ({cpu.ServerShareOfBusy:P0}), {cpu.ServerMillisecondsPerEvent:0.0} ms per timed event. The rest was the {load.Contexts} pages' Chromium, the script and whatever else the shared machine ran."));
        }

        if (load.ErrorKinds is { Count: > 0 } kinds)
        {
            // What the pages said when a step failed or the reconnect dialog / error UI showed: the cause, not just a count.
            md.AppendLine().AppendLine("Errors seen, most frequent first (page console, `circuit trouble:` lines from the page's watch, timed-out steps):").AppendLine();
            foreach (var kind in kinds)
            {
                md.AppendLine(Invariant($"- `{kind.Replace("`", "'", StringComparison.Ordinal)}`"));
            }
        }

        if (load.ServerErrorKinds is { Count: > 0 } serverKinds)
        {
            md.AppendLine().AppendLine("The app's error log entries (header, message, exception), most frequent first:").AppendLine();
            foreach (var kind in serverKinds)
            {
                md.AppendLine(Invariant($"- `{kind.Replace("`", "'", StringComparison.Ordinal)}`"));
            }
        }

        return md.ToString();
    }

    /// <summary>Replaces the load section of docs/benchmarks.md (or adds it before "Reproduce").</summary>
    public static async Task WriteAsync()
    {
        var file = Path.Combine(ResultStore.RepositoryRoot(), "docs", "benchmarks.md");
        var text = File.Exists(file) ? await File.ReadAllTextAsync(file) : "# Benchmarks\n";
        var section = (await RenderAsync()).Replace("\r\n", "\n", StringComparison.Ordinal);
        text = MarkdownSections.Replace(text.Replace("\r\n", "\n", StringComparison.Ordinal), Heading, section, "\n" + Next);
        await File.WriteAllTextAsync(file, text);
        Console.WriteLine($"Wrote the load section of {file}");
    }

    private static void Row(StringBuilder md, string name, string target, string measured, bool met) =>
        md.AppendLine(Invariant($"| {name} | {target} | {measured} | {(met ? "yes" : "**no**")} |"));
}

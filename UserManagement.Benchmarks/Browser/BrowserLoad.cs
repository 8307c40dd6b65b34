using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserManagement.Application.Common;
using UserManagement.Benchmarks.Scenarios;
using UserManagement.Web.Operations;
using static System.FormattableString;

namespace UserManagement.Benchmarks.Browser;

/// <summary>What the browser run measured.</summary>
public sealed record BrowserResult(
    double StartToSignInPageSeconds,
    double StartToFirstUsersPageSeconds,
    Samples NextPage,
    Samples Search,
    int SearchDebounceMilliseconds,
    int CircuitErrors,
    int Contexts,
    double Seconds,
    long HeapAt10Bytes,
    long HeapAt50Bytes,
    Samples? Save = null,
    WriteCheck? Writes = null,
    int? CircuitsAfterClose = null,
    double SecondsToZeroCircuits = 0,
    int ServerErrors = 0,
    int CircuitTroubleShown = 0,
    IReadOnlyList<string>? ErrorKinds = null,
    CpuShare? Cpu = null,
    IReadOnlyList<string>? ServerErrorKinds = null)
{
    /// <summary>Every event the load timed (next page, search minus the pause, save), pooled.</summary>
    public Samples Events => Samples.Of(Save is null ? [NextPage, Search] : [NextPage, Search, Save]);

    /// <summary>Managed heap retained per open circuit, between 10 and 50 circuits, in KB.</summary>
    public double RetainedKilobytesPerCircuit => (HeapAt50Bytes - HeapAt10Bytes) / 40.0 / 1024;
}

/// <summary>
/// Where the CPU went while the contexts ran: the app's own process against every core of the machine (Chromium,
/// the load script and anything else running). Shows whether the server or its clients held the cores.
/// </summary>
public sealed record CpuShare(double ServerSeconds, double MachineBusySeconds, double WallSeconds, int Cores, int Events)
{
    public double ServerShareOfBusy => MachineBusySeconds > 0 ? ServerSeconds / MachineBusySeconds : 0;

    public double BusyShareOfCores => WallSeconds > 0 ? MachineBusySeconds / (WallSeconds * Cores) : 0;

    /// <summary>The app's CPU time per timed event (page step, search or save), in milliseconds.</summary>
    public double ServerMillisecondsPerEvent => Events > 0 ? ServerSeconds * 1000 / Events : 0;
}

/// <summary>
/// Starts the real app (Release build) on the seeded database and drives it from the system Chromium:
/// start-up time, managed heap after a full GC with 10 and then 50 open circuits, and then 25 browser
/// contexts paging, sorting and searching for a while. Latencies are measured inside the page, from the click
/// (or the last keystroke) until the new rows are in the DOM. Each context keeps one circuit for the whole run:
/// it moves between pages with Blazor's own navigation, never a reload.
/// With <c>edits</c> (the <c>load</c> command, issue 11) the mix also opens users and saves a new name
/// (see <see cref="WriteLedger"/>), the heap is not measured, and after the contexts close the server's circuit
/// count is read from the app's open-circuit instrument with dotnet-counters until it is zero.
/// </summary>
public sealed partial class BrowserLoad(string database, int contexts, TimeSpan duration, TextWriter log, bool edits = false)
{
    private const int UsersPerContext = 20;

    // Counts, in the page, each time the reconnect dialog opens, the error bar shows or an error boundary renders.
    // Not while the document is still loading: the stylesheets that hide the error bar (MudBlazor's and app.css) may
    // not have arrived yet, so its computed style says "shown" although Chromium, which waits for them before it
    // paints, shows nothing.
    private const string TroubleWatch = """
        window.__circuitTrouble = 0;
        (() => {
            let was = false;
            setInterval(() => {
                if (document.readyState === 'loading') return;
                const ui = document.querySelector('#blazor-error-ui');
                const modal = document.querySelector('#components-reconnect-modal');
                const now = (ui && getComputedStyle(ui).display !== 'none' ? 'error UI ' : '')
                    + (modal && (modal.open || getComputedStyle(modal).display !== 'none') ? 'reconnect dialog ' + modal.className : '')
                    + (document.querySelector('.blazor-error-boundary') ? 'error boundary' : '');
                if (now && !was) { window.__circuitTrouble++; console.warn('circuit trouble: ' + now + ' on ' + location.pathname); }
                was = !!now;
            }, 100);
        })();
        """;

    // Clicks Save and measures until a new snackbar shows: "Changes saved." (the acknowledgement), or anything
    // else (-3). Snackbars already on screen are marked first so that an older "Changes saved." is not taken.
    private const string SaveScript = """
        async () => {
            const button = document.querySelector('[data-testid=save]');
            if (!button || button.disabled) return -1;
            document.querySelectorAll('.mud-snackbar').forEach(s => s.dataset.loadSeen = '1');
            const t0 = performance.now();
            button.click();
            return await new Promise(resolve => {
                const check = () => {
                    const fresh = [...document.querySelectorAll('.mud-snackbar')].filter(s => !s.dataset.loadSeen);
                    if (fresh.length === 0) return;
                    observer.disconnect(); clearTimeout(timer);
                    resolve(fresh.some(s => s.textContent.includes('Changes saved.')) ? performance.now() - t0 : -3);
                };
                const observer = new MutationObserver(check);
                observer.observe(document.body, { subtree: true, childList: true, characterData: true });
                const timer = setTimeout(() => { observer.disconnect(); resolve(-2); }, 10000);
            });
        }
        """;

    private readonly AppErrorLog _appErrors = new(log);

    private const string AdminEmail = "bench-admin@example.com";
    private const string AdminPassword = "benchmark admin passphrase 42";
    private const int DebounceMilliseconds = 300;

    private static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private static readonly string[] SearchTerms = ["anna", "mar", "son", "lee", "ber", "ova", "ros", "ana", "er", "ka"];

    // Measures, inside the page, from a click on "Next page" until the grid's first row changes. The whole row,
    // email included: at a million users many pages in a row start with the same name.
    private const string NextPageScript = """
        async () => {
            const cell = () => document.querySelector('tbody tr.mud-table-row')?.textContent ?? '';
            const before = cell();
            const button = document.querySelector('button[aria-label="Next page"]');
            if (!button || button.disabled) return -1;
            const t0 = performance.now();
            button.click();
            return await new Promise(resolve => {
                const done = () => { observer.disconnect(); clearTimeout(timer); resolve(performance.now() - t0); };
                const observer = new MutationObserver(() => { if (cell() !== before) done(); });
                observer.observe(document.body, { subtree: true, childList: true, characterData: true });
                const timer = setTimeout(() => { observer.disconnect(); resolve(-2); }, 10000);
            });
        }
        """;

    // Types a term into the search box and measures from the last keystroke until the grid shows rows that
    // contain it (or says nothing matches). The URL must carry the search too: the unfiltered page shown before
    // can already contain a short term in every row, and then the old rows were timed as the answer (a time
    // shorter than the 300 ms pause, which the report then clamped to 0).
    private const string SearchScript = """
        async (term) => {
            const input = document.querySelector('input[placeholder="Name or email"]');
            if (!input) return -1;
            const shows = () => {
                if (new URLSearchParams(location.search).get('search') !== term) return false;
                const rows = [...document.querySelectorAll('tbody tr.mud-table-row')];
                if (document.querySelector('[data-testid=empty-state]') && rows.length === 0) return document.querySelector('input[placeholder="Name or email"]')?.value === term;
                return rows.length > 0 && rows.every(r => r.textContent.toLowerCase().includes(term.toLowerCase()));
            };
            input.focus();
            input.value = '';
            let t0 = 0;
            for (const ch of term) {
                input.value += ch;
                input.dispatchEvent(new Event('input', { bubbles: true }));
                t0 = performance.now();
                await new Promise(r => setTimeout(r, 40));
            }
            return await new Promise(resolve => {
                const check = () => { if (shows()) { observer.disconnect(); clearTimeout(timer); resolve(performance.now() - t0); } };
                const observer = new MutationObserver(check);
                observer.observe(document.body, { subtree: true, childList: true, characterData: true });
                const timer = setTimeout(() => { observer.disconnect(); resolve(-2); }, 10000);
                check();
            });
        }
        """;

    /// <summary>
    /// Starts the app <paramref name="runs"/> times on the database, each time as an operator would and with
    /// nothing else, and times each start until /signin answers; the app is stopped after each.
    /// </summary>
    public async Task<Samples> TimeStartsAsync(int runs)
    {
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            await using var app = await StartAnsweringAsync();
            times.Add(app.SecondsToAnswer * 1000);
            log.WriteLine($"Start {i + 1} of {runs} to the sign-in page answering: {app.SecondsToAnswer:F2} s");
        }

        return new Samples(times);
    }

    public async Task<BrowserResult> RunAsync()
    {
        await using var app = await StartAnsweringAsync();
        var (baseUrl, signInPage) = (app.BaseUrl, app.SecondsToAnswer);
        log.WriteLine($"Start to the sign-in page answering: {signInPage:F2} s");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var state = await SignInAsync(browser, baseUrl);
        var firstUsersPage = Stopwatch.GetElapsedTime(app.Started).TotalSeconds;
        log.WriteLine($"Start to the first users page shown (signed in): {firstUsersPage:F2} s");

        var errors = new ErrorCounter();
        var pages = new List<IPage>();
        long heapAt10 = 0, heapAt50 = 0;
        if (contexts >= 10 && !edits)
        {
            await OpenUntilAsync(browser, baseUrl, state, pages, 10, errors);
            heapAt10 = await HeapAfterFullGcAsync(app.Process.Id);
            await OpenUntilAsync(browser, baseUrl, state, pages, 50, errors);
            heapAt50 = await HeapAfterFullGcAsync(app.Process.Id);
            log.WriteLine($"Managed heap after a full GC: {heapAt10 / 1024.0 / 1024:F1} MB with 10 circuits, {heapAt50 / 1024.0 / 1024:F1} MB with 50");
        }

        await OpenUntilAsync(browser, baseUrl, state, pages, contexts, errors);

        while (pages.Count > contexts)
        {
            await pages[^1].Context.CloseAsync();
            pages.RemoveAt(pages.Count - 1);
        }

        var ledger = new WriteLedger(database);
        var owned = edits ? await ledger.AssignAsync(contexts, UsersPerContext) : [];
        var next = new List<double>();
        var search = new List<double>();
        var save = new List<double>();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var (mixStarted, serverCpuBefore, busyBefore) = (Stopwatch.GetTimestamp(), ServerCpuSeconds(app.Process), MachineInfo.BusyCpuSeconds());
        await Task.WhenAll(pages.Select((page, i) => new Driver(page, i, edits ? owned[i] : [], ledger, errors, next, search, save).RunAsync(deadline)));
        var cpu = busyBefore is { } b && MachineInfo.BusyCpuSeconds() is { } busyAfter
            ? new CpuShare(ServerCpuSeconds(app.Process) - serverCpuBefore, busyAfter - b, Stopwatch.GetElapsedTime(mixStarted).TotalSeconds,
                Environment.ProcessorCount, next.Count + search.Count + save.Count)
            : null;
        if (cpu is not null)
        {
            log.WriteLine(Invariant($"CPU while the contexts ran: the app {cpu.ServerSeconds:F1} s ({cpu.ServerMillisecondsPerEvent:F1} ms per timed event), the machine busy {cpu.MachineBusySeconds:F1} s of {cpu.WallSeconds * cpu.Cores:F0} s ({cpu.BusyShareOfCores:P0}); the app's share of the busy time {cpu.ServerShareOfBusy:P0}"));
        }

        var trouble = 0;
        foreach (var page in pages)
        {
            trouble += await page.EvaluateAsync<int>("() => window.__circuitTrouble ?? 0");
        }

        log.WriteLine($"{contexts} contexts for {duration.TotalSeconds:F0} s: {next.Count} page steps, {search.Count} searches, {save.Count} saves, {errors.Count} circuit errors, {trouble} reconnect/error UI shown, {_appErrors.Count} server errors");
        foreach (var kind in errors.Kinds(20))
        {
            log.WriteLine($"  error: {kind}");
        }

        var serverErrorKinds = _appErrors.Kinds(8);
        foreach (var kind in serverErrorKinds)
        {
            log.WriteLine($"  server error: {kind}");
        }

        if (!edits)
        {
            return new BrowserResult(signInPage, firstUsersPage, new Samples(next), new Samples(search), DebounceMilliseconds, errors.Count,
                contexts, duration.TotalSeconds, heapAt10, heapAt50, Cpu: cpu);
        }

        // Closing with beforeunload lets Blazor tell the server the circuit is gone (its disconnect beacon);
        // a circuit whose page vanished without it would be kept for the disconnected retention period.
        foreach (var page in pages)
        {
            await page.CloseAsync(new() { RunBeforeUnload = true });
            await page.Context.CloseAsync();
        }

        pages.Clear();
        var (circuits, toZero) = await CircuitsAfterCloseAsync(app.Process.Id);
        log.WriteLine($"Active circuits after the contexts closed: {circuits?.ToString(CultureInfo.InvariantCulture) ?? "not reported"} ({toZero:F0} s)");
        await app.StopAsync();
        var writes = await ledger.VerifyAsync();
        log.WriteLine($"Writes: {writes}");
        return new BrowserResult(signInPage, firstUsersPage, new Samples(next), new Samples(search), DebounceMilliseconds, errors.Count,
            contexts, duration.TotalSeconds, 0, 0, new Samples(save), writes, circuits, toZero, _appErrors.Count, trouble, errors.Kinds(8), cpu, serverErrorKinds);
    }

    private static double ServerCpuSeconds(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    internal static async Task WaitForRowsAsync(IPage page)
    {
        await page.WaitForSelectorAsync("body[data-interactive=true]", new() { Timeout = 30_000 });
        await page.WaitForSelectorAsync("tbody tr.mud-table-row, [data-testid=empty-state]", new() { Timeout = 30_000 });
    }

    private static async Task OpenUntilAsync(IBrowser browser, string baseUrl, string state, List<IPage> pages, int count, ErrorCounter errors)
    {
        while (pages.Count < count)
        {
            var context = await browser.NewContextAsync(new() { BaseURL = baseUrl, StorageState = state, ViewportSize = new() { Width = 1280, Height = 800 } });
            context.SetDefaultTimeout(30_000);
            await context.AddInitScriptAsync(TroubleWatch);
            var page = await context.NewPageAsync();
            page.Console += (_, message) =>
            {
                if (message.Text.StartsWith("circuit trouble:", StringComparison.Ordinal))
                {
                    errors.Add(message.Text);
                }

                if (message.Type == "error" && !message.Text.Contains("favicon", StringComparison.Ordinal))
                {
                    errors.Add(message.Text);
                }
            };
            await page.GotoAsync("/users");
            await WaitForRowsAsync(page);
            pages.Add(page);
        }
    }

    private static async Task<string> SignInAsync(IBrowser browser, string baseUrl)
    {
        var context = await browser.NewContextAsync(new() { BaseURL = baseUrl });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        try
        {
            // The bootstrapped administrator's password counts as set at first start: the app asks for a new one,
            // and an earlier run on the same database file has already set it.
            foreach (var password in new[] { AdminPassword, AdminPassword + " changed" })
            {
                await page.GotoAsync("/signin");
                await page.GetByLabel("Email", new() { Exact = true }).FillAsync(AdminEmail);
                await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
                var failed = page.GetByText("Sign-in failed.");
                await page.Locator("tbody tr.mud-table-row, input[autocomplete=new-password]").Or(failed).First.WaitForAsync(new() { Timeout = 60_000 });
                if (!await failed.IsVisibleAsync())
                {
                    break;
                }
            }

            if (page.Url.Contains("/account/change-password", StringComparison.Ordinal))
            {
                await page.GetByLabel("Current password", new() { Exact = true }).FillAsync(AdminPassword);
                await page.GetByLabel("New password", new() { Exact = true }).FillAsync(AdminPassword + " changed");
                await page.GetByLabel("Confirm new password", new() { Exact = true }).FillAsync(AdminPassword + " changed");
                await page.GetByRole(AriaRole.Button, new() { Name = "Change password", Exact = true }).ClickAsync();
            }

            await page.WaitForSelectorAsync("tbody tr.mud-table-row", new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"Signing in did not show the users list; the page at {page.Url} says: {await page.InnerTextAsync("body")}");
        }

        var state = await context.StorageStateAsync();
        await context.CloseAsync();
        return state;
    }

    private Process StartApp(int port)
    {
        var root = ResultStore.RepositoryRoot();
        var web = Path.Combine(root, "UserManagement.Web");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(web, "bin", "Release", "net10.0", "UserManagement.Web.dll"), "--urls", $"http://127.0.0.1:{port}", "--contentRoot", web },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Development only so that the unpublished build serves its static web assets; the build is Release.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Default"] = $"Data Source={Path.GetFullPath(database)}";
        start.Environment["Bootstrap__AdminEmail"] = AdminEmail;
        start.Environment["Bootstrap__AdminPassword"] = AdminPassword;
        start.Environment["Security__SignInPermitLimit"] = "100000";
        // The load measures the pages, not sign-in: the first administrator is not held at MFA enrolment (ADR 0025),
        // so the contexts sign in with its password alone.
        start.Environment["Security__RequireMfaForAdministrators"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => _appErrors.Read(e.Data);
        process.ErrorDataReceived += (_, e) => _appErrors.Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();

    /// <summary>
    /// Reads the app's open-circuit count (<c>usermanagement.circuits.open</c>, an observable instrument: a session
    /// that attaches now reads the true count, which Blazor's own up-down counter cannot give it) with
    /// dotnet-counters, in 5 s sessions until it is zero, for at most four minutes: a circuit whose page went away
    /// without telling the server (a page in error, a lost beacon) is kept for Blazor's disconnected-circuit
    /// retention (3 minutes by default) before it is let go.
    /// </summary>
    private async Task<(int? Circuits, double Seconds)> CircuitsAfterCloseAsync(int processId)
    {
        var started = Stopwatch.GetTimestamp();
        int? circuits = null;
        // One session at a time (the runtime allows one metrics session per process); the last file is kept.
        while (circuits != 0 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(4))
        {
            var file = Path.Combine(ResultStore.Directory, "load-circuits.json");
            File.Delete(file);
            await RunToolAsync("dotnet-counters", "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "--counters",
                $"{AppTelemetry.Name}[{OpenCircuits.InstrumentName}]", "--format", "json", "-o", file, "--duration", "00:00:00:05");
            circuits = File.Exists(file) ? LastActiveCircuits(await File.ReadAllTextAsync(file)) ?? circuits : circuits;
        }

        return (circuits, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static int? LastActiveCircuits(string json)
    {
        // dotnet-counters may leave the array open when it is stopped; close it so that it parses.
        var text = json.TrimEnd();
        if (!text.EndsWith('}'))
        {
            text = text.TrimEnd(',') + "]}";
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return document.RootElement.GetProperty("Events").EnumerateArray()
                .Where(e => e.GetProperty("name").GetString()?.StartsWith(OpenCircuits.InstrumentName, StringComparison.Ordinal) == true)
                .Select(e => (int?)e.GetProperty("value").GetDouble())
                .LastOrDefault();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async Task<double> WaitUntilAnsweringAsync(HttpClient http, Process app, long started)
    {
        while (!app.HasExited && Stopwatch.GetElapsedTime(started) < TimeSpan.FromMinutes(5))
        {
            try
            {
                if ((await http.GetAsync(new Uri("/signin", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(started).TotalSeconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(20);
        }

        throw new InvalidOperationException("The app did not answer /signin.");
    }

    /// <summary>
    /// The managed heap after a full, compacting GC, as dotnet-gcdump reports it. With <paramref name="keepAs"/>
    /// the dump stays under artifacts/benchmarks with that name (for <c>dotnet-gcdump report</c> by type).
    /// </summary>
    private async Task<long> HeapAfterFullGcAsync(int processId, string? keepAs = null)
    {
        var file = Path.Combine(ResultStore.Directory, keepAs ?? $"heap-{processId}-{DateTime.UtcNow.Ticks}.gcdump");
        File.Delete(file);
        await RunToolAsync("dotnet-gcdump", "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", file);
        var report = await RunToolAsync("dotnet-gcdump", "report", file);
        if (keepAs is null)
        {
            File.Delete(file);
        }

        var total = report.Split('\n').Select(l => TotalLine().Match(l)).FirstOrDefault(m => m.Success)
            ?? throw new InvalidOperationException($"dotnet-gcdump report printed no total:\n{report}");
        log.WriteLine($"  dotnet-gcdump: {total.Value.Trim()}");
        return long.Parse(total.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    private async Task<string> RunToolAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ResultStore.RepositoryRoot() };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            log.WriteLine($"{string.Join(' ', args)} failed: {output}{error}");
        }

        return output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s*([\d,]+)\s+.*(GC Heap|Total)", RegexOptions.IgnoreCase)]
    private static partial Regex TotalLine();

    internal sealed class ErrorCounter
    {
        private readonly List<string> _errors = [];

        public int Count
        {
            get
            {
                lock (_errors)
                {
                    return _errors.Count;
                }
            }
        }

        /// <summary>The most frequent errors, each as "N× text" (the page path and numbers left as they are).</summary>
        public List<string> Kinds(int count)
        {
            lock (_errors)
            {
                return [.. _errors.GroupBy(e => e, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Take(count)
                    .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()}× {g.Key}"))];
            }
        }

        public void Add(string error)
        {
            // Blazor starts its console lines with a timestamp ("[2026-12-02T00:05:01.123Z] Error: ..."): without
            // it, the same error counts as one kind.
            var kind = error.StartsWith('[') && error.IndexOf("] ", StringComparison.Ordinal) is var end and > 0 ? error[(end + 2)..] : error;

            // Playwright's timeouts carry a call log on further lines: one line, so that a kind is one list item in
            // the report; and the app's address, which changes from run to run, left out.
            kind = AppErrorLog.AppAddress().Replace(Whitespace().Replace(kind, " ").Trim(), string.Empty);
            lock (_errors)
            {
                _errors.Add(kind);
            }
        }
    }
}

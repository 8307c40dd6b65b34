using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserManagement.Benchmarks.Scenarios;

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
    long HeapAt50Bytes)
{
    /// <summary>Managed heap retained per open circuit, between 10 and 50 circuits, in KB.</summary>
    public double RetainedKilobytesPerCircuit => (HeapAt50Bytes - HeapAt10Bytes) / 40.0 / 1024;
}

/// <summary>
/// Starts the real app (Release build) on the seeded database and drives it from the system Chromium:
/// start-up time, managed heap after a full GC with 10 and then 50 open circuits, and then 25 browser
/// contexts paging, sorting and searching for a while. Latencies are measured inside the page, from the click
/// (or the last keystroke) until the new rows are in the DOM.
/// </summary>
public sealed partial class BrowserLoad(string database, int contexts, TimeSpan duration, TextWriter log)
{
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

    public async Task<BrowserResult> RunAsync()
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var started = Stopwatch.GetTimestamp();
        using var app = StartApp(port);
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(5) };
        var signInPage = await WaitUntilAnsweringAsync(http, app, started);
        log.WriteLine($"Start to the sign-in page answering: {signInPage:F2} s");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = LaunchArgs,
        });
        var state = await SignInAsync(browser, baseUrl);
        var firstUsersPage = Stopwatch.GetElapsedTime(started).TotalSeconds;
        log.WriteLine($"Start to the first users page shown (signed in): {firstUsersPage:F2} s");

        var errors = new ErrorCounter();
        var pages = new List<IPage>();
        try
        {
            long heapAt10 = 0, heapAt50 = 0;
            if (contexts >= 10)
            {
                await OpenUntilAsync(browser, baseUrl, state, pages, 10, errors);
                heapAt10 = await HeapAfterFullGcAsync(app.Id);
                await OpenUntilAsync(browser, baseUrl, state, pages, 50, errors);
                heapAt50 = await HeapAfterFullGcAsync(app.Id);
                log.WriteLine($"Managed heap after a full GC: {heapAt10 / 1024.0 / 1024:F1} MB with 10 circuits, {heapAt50 / 1024.0 / 1024:F1} MB with 50");
            }

            await OpenUntilAsync(browser, baseUrl, state, pages, contexts, errors);

            while (pages.Count > contexts)
            {
                await pages[^1].Context.CloseAsync();
                pages.RemoveAt(pages.Count - 1);
            }

            var next = new List<double>();
            var search = new List<double>();
            var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(pages.Select((page, i) => DriveAsync(page, i, deadline, next, search, errors)));
            log.WriteLine($"{contexts} contexts for {duration.TotalSeconds:F0} s: {next.Count} page steps, {search.Count} searches, {errors.Count} circuit errors");
            foreach (var error in errors.Distinct().Take(8))
            {
                log.WriteLine($"  error: {error}");
            }

            return new BrowserResult(signInPage, firstUsersPage, new Samples(next), new Samples(search), DebounceMilliseconds, errors.Count,
                contexts, duration.TotalSeconds, heapAt10, heapAt50);
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill(entireProcessTree: true);
                await app.WaitForExitAsync();
            }
        }
    }

    private static async Task DriveAsync(IPage page, int index, long deadline, List<double> next, List<double> search, ErrorCounter errors)
    {
        var random = new Random(index);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                var roll = random.Next(10);
                if (roll < 6)
                {
                    var ms = await page.EvaluateAsync<double>(NextPageScript);
                    if (ms == -2)
                    {
                        errors.Add($"next page showed no new rows within 10 s on {page.Url}");
                    }
                    else if (ms >= 0)
                    {
                        lock (next)
                        {
                            next.Add(ms);
                        }
                    }
                    else
                    {
                        await page.GotoAsync("/users");
                        await WaitForRowsAsync(page);
                    }
                }
                else if (roll < 8)
                {
                    var headers = new[] { "Name", "Email", "Role", "Status", "Created", "Updated", "Last sign-in" };
                    var header = page.GetByRole(AriaRole.Columnheader, new() { Name = headers[random.Next(headers.Length)] });
                    await header.Locator(".sortable-column-header").ClickAsync();
                    await WaitForRowsAsync(page);
                }
                else
                {
                    var term = SearchTerms[random.Next(SearchTerms.Length)];
                    await page.GotoAsync("/users");
                    await WaitForRowsAsync(page);
                    var ms = await page.EvaluateAsync<double>(SearchScript, term);
                    if (ms == -2)
                    {
                        errors.Add($"search '{term}' never showed its rows");
                    }
                    else if (ms >= 0)
                    {
                        lock (search)
                        {
                            search.Add(Math.Max(0, ms - DebounceMilliseconds));
                        }
                    }
                }

                if (await page.Locator("#blazor-error-ui").IsVisibleAsync())
                {
                    errors.Add($"the circuit failed on {page.Url}");
                    await page.GotoAsync("/users");
                    await WaitForRowsAsync(page);
                }
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                errors.Add(e.Message);
            }
        }
    }

    private static async Task WaitForRowsAsync(IPage page)
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
            var page = await context.NewPageAsync();
            page.Console += (_, message) =>
            {
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
        await page.GotoAsync("/signin");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(AdminEmail);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await page.WaitForSelectorAsync("tbody tr.mud-table-row", new() { Timeout = 60_000 });
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
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Echo(e.Data);
        process.ErrorDataReceived += (_, e) => Echo(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Echo(string? line)
    {
        if (line is not null && (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("crit", StringComparison.OrdinalIgnoreCase)))
        {
            log.WriteLine($"  app: {line}");
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

    /// <summary>The managed heap after a full, compacting GC, as dotnet-gcdump reports it.</summary>
    private async Task<long> HeapAfterFullGcAsync(int processId)
    {
        var file = Path.Combine(ResultStore.Directory, $"heap-{processId}-{DateTime.UtcNow.Ticks}.gcdump");
        await RunToolAsync("collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", file);
        var report = await RunToolAsync("report", file);
        File.Delete(file);
        var total = report.Split('\n').Select(l => TotalLine().Match(l)).FirstOrDefault(m => m.Success)
            ?? throw new InvalidOperationException($"dotnet-gcdump report printed no total:\n{report}");
        log.WriteLine($"  dotnet-gcdump: {total.Value.Trim()}");
        return long.Parse(total.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
    }

    private async Task<string> RunToolAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ResultStore.RepositoryRoot() };
        start.ArgumentList.Add("dotnet-gcdump");
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
            log.WriteLine($"dotnet-gcdump {string.Join(' ', args)} failed: {output}{error}");
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

    private sealed class ErrorCounter
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

        public List<string> Distinct()
        {
            lock (_errors)
            {
                return [.. _errors.Distinct(StringComparer.Ordinal)];
            }
        }

        public void Add(string error)
        {
            lock (_errors)
            {
                _errors.Add(error);
            }
        }
    }
}

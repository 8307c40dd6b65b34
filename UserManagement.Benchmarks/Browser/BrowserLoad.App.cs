using System.Diagnostics;
using Microsoft.Playwright;

namespace UserManagement.Benchmarks.Browser;

public sealed partial class BrowserLoad
{
    /// <summary>
    /// Starts the Release build of the app on a free local port and waits until /signin answers: what every
    /// command of this class does first. Disposing the result stops the app.
    /// </summary>
    private async Task<RunningApp> StartAnsweringAsync()
    {
        var port = FreePort();
        var started = Stopwatch.GetTimestamp();
        var app = new RunningApp(StartApp(port), $"http://127.0.0.1:{port}", started);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
            app.SecondsToAnswer = await WaitUntilAnsweringAsync(http, app.Process, started);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = LaunchArgs,
        });

    /// <summary>The app's process, where it listens, when it was started and how long it took to answer.</summary>
    private sealed class RunningApp(Process process, string baseUrl, long started) : IAsyncDisposable
    {
        public Process Process => process;

        public string BaseUrl => baseUrl;

        /// <summary>The <see cref="Stopwatch"/> timestamp just before the process was started.</summary>
        public long Started => started;

        public double SecondsToAnswer { get; set; }

        public async Task StopAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            process.Dispose();
        }
    }
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace UserManagement.Tests.Support;

/// <summary>
/// The web app as an operator starts it: its own process, a fresh database, nothing configured. Its console
/// output is kept, for what it prints once (the one-time administrator password).
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempFolder _folder;
    private readonly List<string> _output = [];
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process, TempFolder folder)
    {
        _process = process;
        _folder = folder;
    }

    /// <summary>
    /// How long a start may take before the test gives up on it. A start that fails ends the process, and that is
    /// reported at once; this only catches one that hangs. It starts in about 3 s on a quiet 2-core machine and took
    /// over a minute there with a load average of 60 (two test runs and 50 Chromium pages beside it).
    /// </summary>
    public static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(3);

    public string BaseUrl { get; private set; } = string.Empty;

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <param name="environment">The ASP.NET Core environment to run in.</param>
    /// <param name="settings">More environment variables for the app (settings, say), after the defaults.</param>
    public static async Task<AppProcess> StartAsync(string environment = "Development", IReadOnlyDictionary<string, string>? settings = null)
    {
        var web = Repository.File("UserManagement.Web");
        var folder = new TempFolder("process");

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Repository.WebDll, "--urls", "http://127.0.0.1:0", "--contentRoot", web },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder.Path,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ConnectionStrings__Default"] = $"Data Source={folder.File("first-start.db")}";
        start.Environment.Remove("Bootstrap__AdminEmail");
        start.Environment.Remove("Bootstrap__AdminPassword");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var app = new AppProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, folder);
        app._process.OutputDataReceived += (_, e) => app.Read(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Read(e.Data);
        app._process.Exited += (_, _) => app._listening.TrySetException(new InvalidOperationException("The app exited before it listened."));
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        try
        {
            app.BaseUrl = await app._listening.Task.WaitAsync(StartPatience, TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"The app did not start listening ({e.Message}). It printed:\n{string.Join('\n', app.Output)}", e);
        }

        return app;
    }

    /// <summary>The value printed after <paramref name="label"/> on the console, such as "One-time password:".</summary>
    public string? Printed(string label) =>
        Output.Select(line => line.Trim()).Where(line => line.StartsWith(label, StringComparison.Ordinal))
            .Select(line => line[label.Length..].Trim()).FirstOrDefault();

    /// <summary>Waits until the app prints a line that <paramref name="matches"/>, and returns it.</summary>
    public async Task<string> WaitForOutputAsync(Func<string, bool> matches, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var seen = _output.FirstOrDefault(matches);
            if (seen is not null)
            {
                return seen;
            }

            _waiters.Add((matches, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"The app printed no such line within {timeout}. It printed:\n{string.Join('\n', Output.TakeLast(40))}", e);
        }
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Matches(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Found.TrySetResult(line);
            }
        }

        var listening = ListeningPattern().Match(line);
        if (listening.Success)
        {
            _listening.TrySetResult(listening.Groups[1].Value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _folder.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://[^\s\x22]+)")]
    private static partial Regex ListeningPattern();
}

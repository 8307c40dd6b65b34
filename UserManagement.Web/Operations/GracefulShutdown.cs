using UserManagement.Application.Common;

namespace UserManagement.Web.Operations;

/// <summary>
/// How the app stops on SIGTERM (systemd stop, Ctrl+C). Open pages are told first (<see cref="ServerStopping"/>),
/// Kestrel stops taking requests, and then the host waits for every command in flight to finish
/// (<see cref="CommandDrain"/>), for at most <c>Shutdown:TimeoutSeconds</c> (30 s unless set). Commands are sent
/// without the host's stopping token, so stopping never cancels one half-way. docs/operations.md, "Stopping".
/// </summary>
public static class GracefulShutdown
{
    public const string TimeoutSetting = "Shutdown:TimeoutSeconds";
    public const int DefaultTimeoutSeconds = 30;

    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        var timeout = TimeSpan.FromSeconds(configuration.GetValue(TimeoutSetting, DefaultTimeoutSeconds));
        services.Configure<HostOptions>(options => options.ShutdownTimeout = timeout);
        services.AddSingleton<ServerStopping>();
        services.AddHostedService<CommandDrain>();
        return services;
    }
}

/// <summary>
/// Waits, as the host begins to stop (before any hosted service's StopAsync: the web server and the message bus
/// still run, so a command can finish what it started, background work it enqueues included), until no command is
/// in flight, within the host's shutdown timeout.
/// </summary>
public sealed partial class CommandDrain(CommandsInFlight inFlight, ILogger<CommandDrain> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var running = inFlight.Count;
        if (running == 0)
        {
            return;
        }

        LogWaiting(running);
        try
        {
            await inFlight.WaitUntilIdleAsync(cancellationToken);
            LogDrained();
        }
        catch (OperationCanceledException)
        {
            LogCutOff(inFlight.Count);
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Stopping: waiting for {Count} command(s) in flight to finish")]
    private partial void LogWaiting(int count);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Stopping: every command in flight has finished")]
    private partial void LogDrained();

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Stopping: the shutdown timeout passed with {Count} command(s) still running; they are cut off and roll back")]
    private partial void LogCutOff(int count);
}

/// <summary>
/// Tells the open pages that the server is stopping, before their connections close: when stopping begins, it
/// calls every page's callback and waits (at most <see cref="NoticeTimeout"/>) until the browsers have
/// confirmed the render. The connections close right after, and the browser's reconnect dialog takes over.
/// </summary>
public sealed class ServerStopping : IDisposable
{
    public static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly List<Func<Task>> _listeners = [];
    private readonly CancellationTokenRegistration _registration;

    public ServerStopping(IHostApplicationLifetime lifetime) =>
        _registration = lifetime.ApplicationStopping.Register(NotifyAll);

    public bool IsStopping { get; private set; }

    /// <summary>Calls <paramref name="onStopping"/> when the server starts stopping, until disposed.</summary>
    public IDisposable Subscribe(Func<Task> onStopping)
    {
        lock (_gate)
        {
            _listeners.Add(onStopping);
        }

        return new Subscription(this, onStopping);
    }

    public void Dispose() => _registration.Dispose();

    private void NotifyAll()
    {
        IsStopping = true;
        Func<Task>[] listeners;
        lock (_gate)
        {
            listeners = [.. _listeners];
        }

        // A cancellation callback cannot be awaited: block, briefly, so the notices go out before the connections close.
        var notices = listeners.Select(listener => Task.Run(listener));
        try
        {
            Task.WhenAll(notices).Wait(NoticeTimeout);
        }
        catch (AggregateException)
        {
            // A page whose circuit is already gone cannot be told; the others were.
        }
    }

    private void Unsubscribe(Func<Task> listener)
    {
        lock (_gate)
        {
            _listeners.Remove(listener);
        }
    }

    private sealed class Subscription(ServerStopping owner, Func<Task> listener) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(listener);
    }
}

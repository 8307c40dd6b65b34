using UserManagement.Web.Live;

namespace UserManagement.Web.Components.Shared;

/// <summary>
/// Calls <c>tick</c> every interval until disposed, never twice at once (a slow tick makes the next one wait for
/// the following interval). Runs on the given clock, so tests move time instead of waiting. The tick runs off the
/// renderer: a page passes one that goes through <see cref="LiveComponent"/>'s <c>OnRendererAsync</c>, which is how a
/// bug in it reaches the error boundary (the task of a tick is not awaited by anyone).
/// A tick is a page refreshing by itself, not the person doing anything: every message it sends is a passive refresh
/// (<see cref="PassiveRefresh"/>), so a page left open idles out like any other (docs/security.md). Every page that
/// refreshes by itself goes through here (<c>SelfRefreshingPageTests</c> holds each one open past the idle timeout).
/// </summary>
public sealed class Poller : IDisposable
{
    public static readonly TimeSpan LiveInterval = TimeSpan.FromSeconds(1);

    private readonly Func<Task> _tick;
    private readonly ITimer _timer;
    private int _running;

    private Poller(TimeProvider clock, TimeSpan interval, Func<Task> tick)
    {
        _tick = tick;
        _timer = clock.CreateTimer(_ => _ = TickAsync(), null, interval, interval);
    }

    public static Poller Start(TimeProvider clock, Func<Task> tick) => new(clock, LiveInterval, tick);

    private async Task TickAsync()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            using (PassiveRefresh.Begin())
            {
                await _tick();
            }
        }
        finally
        {
            Interlocked.Exchange(ref _running, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}

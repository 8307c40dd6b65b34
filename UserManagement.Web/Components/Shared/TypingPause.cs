namespace UserManagement.Web.Components.Shared;

/// <summary>
/// Waits for a pause in typing before slow work (the list's search): each wait ends the one before. Times the pause
/// on the injected clock, so tests drive it without sleeping.
/// </summary>
/// <remarks>
/// Used for the search box instead of MudBlazor's <c>OnDebounceIntervalElapsed</c>: MudBlazor 9.12 drops that
/// callback when anything validates the field while the debounce is pending, and under load the browser tests
/// saw a typed search never run.
/// </remarks>
public sealed class TypingPause(TimeProvider clock, TimeSpan length) : IDisposable
{
    private CancellationTokenSource? _current;

    /// <summary>True while a wait is running: the administrator is still typing.</summary>
    public bool IsWaiting => Volatile.Read(ref _current) is not null;

    /// <summary>True once <paramref name="length"/> has passed with no newer wait; false when a newer one began.</summary>
    public async Task<bool> WaitAsync()
    {
        var mine = new CancellationTokenSource();
        End(Interlocked.Exchange(ref _current, mine));
        try
        {
            await Task.Delay(length, clock, mine.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _current, null, mine) != mine)
        {
            return false;
        }

        mine.Dispose();
        return true;
    }

    /// <summary>Ends the current wait, if any: nothing runs after its owner is gone.</summary>
    public void Dispose() => End(Interlocked.Exchange(ref _current, null));

    private static void End(CancellationTokenSource? wait)
    {
        wait?.Cancel();
        wait?.Dispose();
    }
}

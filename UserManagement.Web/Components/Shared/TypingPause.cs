namespace UserManagement.Web.Components.Shared;

/// <summary>
/// Waits for a pause in typing before slow work (a search, a database look-up): each wait ends the one before.
/// </summary>
/// <remarks>
/// Used instead of MudBlazor's <c>DebounceInterval</c> on fields. A debounced MudTextField holds its typed text apart
/// from its bound value until the debounce fires, and in MudBlazor 9.12 there are moments in that interval when a
/// re-render puts the old value back into the box. The browser tests caught it under load: an email typed just
/// before a role was picked was silently dropped, and a name typed just before Save was not saved. Fields here
/// bind at once; only the slow work waits.
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

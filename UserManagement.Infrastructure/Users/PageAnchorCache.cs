using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace UserManagement.Infrastructure.Users;

/// <summary>A row of one order of the list and its position in it (0 = the first row), read in one snapshot.</summary>
public sealed record PageAnchor(long Position, string Key, string Id);

/// <summary>
/// Every <see cref="Spacing"/>th row of each sort order of the unfiltered list (one list per sort key serves both
/// directions), so a jump to page N seeks to the anchor before it and skips at most <see cref="Spacing"/> index
/// entries, instead of OFFSET over up to half the list (ADR 0022). The provider reads them
/// (<see cref="PageAnchorReader"/>); this keeps them and their bookkeeping.
/// </summary>
/// <remarks>
/// Anchors are exact only for the list they were read from: a user added near the start moves every row after it.
/// So each order's anchors carry the version of the list's change counter they were read at (the read model's
/// triggers bump it in the writing transaction), and a read uses them only when its own snapshot has the same
/// version. A jump that finds them missing or stale pages by OFFSET as before and asks for them to be read again in
/// the background (one read per order at a time, in a snapshot of its own: an index seek per anchor). Nothing is
/// written: a read never takes the write lock.
/// </remarks>
public sealed partial class PageAnchorCache(ILogger<PageAnchorCache> logger) : IAsyncDisposable
{
    /// <summary>Rows between two anchors: what a jump skips at most.</summary>
    public const int Spacing = 1_000;

    private readonly ConcurrentDictionary<string, Anchors> _orders = new();
    private readonly ConcurrentDictionary<string, Task> _reading = new();
    private readonly CancellationTokenSource _stopping = new();

    private sealed record Anchors(long Version, ImmutableArray<PageAnchor> Rows);

    /// <summary>How many anchors of an order are known for <paramref name="version"/> (what the tests look at).</summary>
    public int Known(string sortBy, long version) =>
        _orders.TryGetValue(sortBy, out var anchors) && anchors.Version == version ? anchors.Rows.Length : 0;

    /// <summary>
    /// The last anchor at or before <paramref name="position"/> in the order of <paramref name="sortBy"/> read
    /// ascending or <paramref name="descending"/>, in the list of <paramref name="total"/> rows at
    /// <paramref name="version"/>; null when none is known for that version, or none lies past the start.
    /// Anchors are kept in ascending order: read descending, the row at ascending position a is at total - 1 - a.
    /// </summary>
    public PageAnchor? Nearest(string sortBy, bool descending, long position, long total, long version)
    {
        if (position < Spacing || position >= total
            || !_orders.TryGetValue(sortBy, out var anchors) || anchors.Version != version)
        {
            return null;
        }

        // The anchor's index in ascending order: at or before the position ascending, at or after it descending.
        var index = descending ? (total - 1 - position + Spacing - 1) / Spacing : position / Spacing;
        if (index >= anchors.Rows.Length)
        {
            return null;
        }

        var anchor = anchors.Rows[(int)index];
        return descending ? anchor with { Position = total - 1 - anchor.Position } : anchor;
    }

    /// <summary>Keeps the anchors of <paramref name="sortBy"/> read at <paramref name="version"/>, in ascending order, unless newer ones are kept.</summary>
    public void Keep(string sortBy, long version, ImmutableArray<PageAnchor> rows, TimeSpan took)
    {
        var read = new Anchors(version, rows);
        _orders.AddOrUpdate(sortBy, read, (_, old) => old.Version > version ? old : read);
        LogRead(rows.Length, sortBy, version, took.TotalMilliseconds);
    }

    /// <summary>
    /// Runs <paramref name="read"/> (which reads the anchors of <paramref name="sortBy"/> and keeps them) in the
    /// background, unless a read of them is under way or the app is stopping. A failed read is logged.
    /// </summary>
    public void ReadInBackground(string sortBy, Func<CancellationToken, Task> read)
    {
        if (_stopping.IsCancellationRequested || _reading.ContainsKey(sortBy))
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_reading.TryAdd(sortBy, started.Task))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await read(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                // The app is stopping.
            }
            catch (Exception exception) when (exception is DbException or InvalidOperationException or ObjectDisposedException)
            {
                LogReadFailed(exception, sortBy);
            }
            finally
            {
                _reading.TryRemove(sortBy, out _);
                started.SetResult();
            }
        });
    }

    /// <summary>Completes when no background read is under way (what the tests wait for).</summary>
    public async Task WhenIdleAsync()
    {
        while (!_reading.IsEmpty)
        {
            await Task.WhenAll(_reading.Values);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await WhenIdleAsync();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 1460, Level = LogLevel.Debug,
        Message = "Read {Count} page anchors of the users list's {SortBy} order at version {Version} in {Milliseconds:0.0} ms")]
    private partial void LogRead(int count, string sortBy, long version, double milliseconds);

    [LoggerMessage(EventId = 1461, Level = LogLevel.Warning,
        Message = "Reading the page anchors of the users list's {SortBy} order failed; jumps in it page by OFFSET until a later jump reads them")]
    private partial void LogReadFailed(Exception exception, string sortBy);
}

namespace UserManagement.Application.Common;

/// <summary>One page of rows and the total number of rows that match, for a pager.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int TotalCount)
{
    public int TotalPages => TotalCount == 0 ? 0 : (int)Math.Ceiling(TotalCount / (double)PageSize);

    /// <summary>
    /// True when more rows match than were counted: <see cref="TotalCount"/> is then a floor ("10,000+"), and
    /// the pages reach only that far. A broad search stops counting there rather than count every match.
    /// </summary>
    public bool IsTotalCapped { get; init; }

    /// <summary>Where the page after this one starts, for a pager that steps (null on the last page).</summary>
    public string? NextCursor { get; init; }

    /// <summary>Where the page before this one ends, for a pager that steps (null on the first page).</summary>
    public string? PreviousCursor { get; init; }
}

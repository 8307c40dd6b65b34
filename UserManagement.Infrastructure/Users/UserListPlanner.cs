using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Users;

/// <summary>How a page of the users list is found in its read model; every provider has a query for each.</summary>
public enum UserListStrategy
{
    /// <summary>Walk the sort order's index: every row is on the page (no filter).</summary>
    SortIndex,

    /// <summary>
    /// Look through a window of the sort order's index for the rows that match; when the window holds too
    /// few, fetch and sort every match.
    /// </summary>
    WalkThenFetch,

    /// <summary>Seek the role and status index, which is in name order.</summary>
    GroupIndex,

    /// <summary>Fetch the few matching rows through the search or filter index, then sort them.</summary>
    FetchAndSort,
}

/// <summary>How many users have one role and status, as the read model counts them.</summary>
public sealed record RoleStatusCount(string Role, string Status, long Count);

/// <summary>A page request and how it is answered: the strategy and how many rows match (at most <see cref="UserListPlanner.CountCap"/>).</summary>
public sealed record UserListPlan(UserListRequest Request, UserListStrategy Strategy, long Matching, bool Capped)
{
    /// <summary>The row a jump seeks to before skipping the rest, when the order's anchors serve it.</summary>
    public PageAnchor? Anchor { get; init; }
}

/// <summary>
/// Where the rows of a page lie in the order read: backwards or not, how many, how many to skip, and the row they
/// start after or before (a cursor's row, or the anchor before a jump's page), if any.
/// </summary>
public sealed record UserListSpan(bool Backwards, long Limit, long Offset, UserListBound? From);

/// <summary>
/// The keyset condition of a page: the rows whose (sort key, id) compare to (<paramref name="Key"/>,
/// <paramref name="Id"/>) by <paramref name="Comparison"/> (<c>&gt;</c>, <c>&lt;</c>, <c>&gt;=</c>, <c>&lt;=</c>).
/// </summary>
public sealed record UserListBound(string Comparison, string Key, Guid Id, bool IsAnchor);

/// <summary>
/// The users list's decisions, the same on every database: which strategy answers a request, where a page without a
/// cursor lies in its order, and which jumps a page anchor (<see cref="PageAnchorCache"/>) can serve. Each page costs a
/// few index seeks, whatever the number of users:
/// <list type="bullet">
/// <item>Totals come from the maintained counts; a search counts its matches in the search index, stopping at
/// <see cref="CountCap"/>.</item>
/// <item>First, next, previous and last pages seek in the sort order's index (keyset: after or before the row next
/// to the page, with the id breaking ties); the last page reads the order backwards. A jump to a page number skips
/// rows in the index (OFFSET), from whichever end is nearer, or seeks from the anchor before it.</item>
/// <item>When up to <see cref="CountCap"/> rows match a search or filter, they are fetched through the search or
/// filter index and sorted. When more match, a window of the sort order's index is tested row by row, which finds a
/// page after a few hundred rows when matches are spread out; when they are bunched elsewhere, every match is
/// fetched and sorted after all.</item>
/// </list>
/// </summary>
public static class UserListPlanner
{
    /// <summary>A search stops counting here and reports "10,000+": counting every match of a broad term costs more than the page.</summary>
    public const int CountCap = 10_000;

    /// <summary>
    /// How many rows of the sort order's index a broad search or filter looks through for its page before it
    /// fetches and sorts every match instead: enough when one row in 200 matches and the matches are spread out.
    /// </summary>
    public const int WalkWindow = 5_000;

    /// <summary>
    /// The plan for <paramref name="request"/>, given the users per role and status and, for a search, its matches
    /// counted up to one past <see cref="CountCap"/> (null without a search).
    /// </summary>
    public static UserListPlan Plan(UserListRequest request, IReadOnlyList<RoleStatusCount> counts, long? searchMatches)
    {
        long matching;
        var capped = false;
        if (searchMatches is { } found)
        {
            capped = found > CountCap;
            matching = Math.Min(found, CountCap);
        }
        else
        {
            matching = counts.Where(c => (request.Role is null || c.Role == request.Role.ToString())
                    && (request.Status is null || c.Status == request.Status.ToString()))
                .Sum(c => c.Count);
        }

        var strategy = request switch
        {
            { Search: null, Role: null, Status: null } => UserListStrategy.SortIndex,
            { Search: null, Role: not null, Status: not null, SortBy: ListUsersQuery.SortByName } => UserListStrategy.GroupIndex,
            _ when !capped && matching <= CountCap => UserListStrategy.FetchAndSort,
            _ => UserListStrategy.WalkThenFetch,
        };
        return new UserListPlan(request, strategy, matching, capped);
    }

    /// <summary>
    /// Where a page without a cursor lies: whether it is read from the end of the order, how many rows come
    /// before it in the order read, and how many it holds; null when the page is past the end.
    /// </summary>
    public static (bool Backwards, long Offset, long Limit)? Locate(UserListPlan plan)
    {
        var request = plan.Request;
        if (request.Page == 1)
        {
            return (false, 0, request.PageSize);
        }

        if (request.Offset >= plan.Matching)
        {
            return null;
        }

        if (!plan.Capped && request.Offset + request.PageSize >= plan.Matching)
        {
            // The last page: the end of the order, read backwards.
            return (true, 0, plan.Matching - request.Offset);
        }

        // A jump past the middle skips fewer rows from the end.
        return !plan.Capped && request.Offset > plan.Matching / 2
            ? (true, plan.Matching - request.Offset - request.PageSize, request.PageSize)
            : (false, request.Offset, request.PageSize);
    }

    /// <summary>
    /// For a jump in the unfiltered list past the first anchor, the order it reads and how many rows it skips in it:
    /// what <see cref="PageAnchorCache.Nearest"/> is asked. Null for every other page.
    /// </summary>
    public static (bool Descending, long Offset)? AnchoredJump(UserListPlan plan) =>
        plan is { Strategy: UserListStrategy.SortIndex, Request.Cursor: null } && Locate(plan) is { Offset: >= PageAnchorCache.Spacing } span
            ? (plan.Request.Descending != span.Backwards, span.Offset)
            : null;

    /// <summary>
    /// The rows a plan's page query reads: after or before the cursor's row, or where <see cref="Locate"/> puts the
    /// page, sought from the plan's anchor when it has one (skipping only the rows after it); null past the end.
    /// </summary>
    public static UserListSpan? Span(UserListPlan plan)
    {
        var request = plan.Request;
        if (request.Cursor is { } cursor)
        {
            // Keyset: the rows after (or before) the cursor's row in the order shown.
            var greater = cursor.Before == request.Descending;
            return new UserListSpan(cursor.Before, request.PageSize, 0, new UserListBound(greater ? ">" : "<", cursor.Key, cursor.Id, IsAnchor: false));
        }

        if (Locate(plan) is not { } located)
        {
            return null;
        }

        var (backwards, offset, limit) = located;
        if (plan.Anchor is not { } anchor)
        {
            return new UserListSpan(backwards, limit, offset, null);
        }

        // Seek to the anchor before the page in the order read, and skip only the rows after it.
        var reading = request.Descending != backwards;
        return new UserListSpan(backwards, limit, offset - anchor.Position,
            new UserListBound(reading ? "<=" : ">=", anchor.Key, Guid.Parse(anchor.Id), IsAnchor: true));
    }
}

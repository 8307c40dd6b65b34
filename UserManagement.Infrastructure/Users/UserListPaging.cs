using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Users;

/// <summary>A row of a page and its sort key as stored, which its cursor carries.</summary>
public sealed record UserListRow(UserListItem Item, string Key);

/// <summary>A page of the users list as callers see it: its rows, the total, and the cursors to the pages beside it.</summary>
public static class UserListPaging
{
    public static Page<UserListItem> Describe(UserListPlan plan, IReadOnlyList<UserListRow> rows)
    {
        var request = plan.Request;
        var total = (int)plan.Matching;
        var pages = total == 0 ? 0 : (int)Math.Ceiling(total / (double)request.PageSize);
        var page = new Page<UserListItem>([.. rows.Select(r => r.Item)], request.Page, request.PageSize, total)
        {
            IsTotalCapped = plan.Capped,
        };
        if (rows.Count == 0)
        {
            return page;
        }

        return page with
        {
            NextCursor = request.Page < pages
                ? new UserListCursor(request.Page + 1, Before: false, request.SortBy, request.Descending, rows[^1].Key, rows[^1].Item.Id).Encode()
                : null,
            PreviousCursor = request.Page > 1
                ? new UserListCursor(request.Page - 1, Before: true, request.SortBy, request.Descending, rows[0].Key, rows[0].Item.Id).Encode()
                : null,
        };
    }
}

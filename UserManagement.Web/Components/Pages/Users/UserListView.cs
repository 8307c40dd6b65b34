using System.Globalization;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Web.Components.Shared;

namespace UserManagement.Web.Components.Pages.Users;

/// <summary>
/// What the users list shows: search, filters, sort, page and page size. It round-trips through the URL's
/// query string, so a reload, Back or a shared link restores the same view.
/// </summary>
public sealed record UserListView(
    string Search = "",
    UserRole? Role = null,
    UserStatus? Status = null,
    string Sort = ListUsersQuery.SortByName,
    bool Descending = false,
    int Page = 1,
    int PageSize = UserListView.DefaultPageSize) : IUrlView
{
    public const int DefaultPageSize = 25;

    public static IReadOnlyList<int> PageSizes { get; } = [10, 25, 50, 100];

    public bool IsFiltered => Search.Length > 0 || Role is not null || Status is not null;

    /// <summary>The highest page a link may ask for: beyond it, page × size would not fit the grid's arithmetic.</summary>
    public const int MaxPage = 10_000_000;

    /// <summary>
    /// Reads the view from query values, falling back to the default for anything unknown, malformed or out of
    /// range (a link is user input). <paramref name="ignored"/> names each parameter that was not taken as given.
    /// </summary>
    public static UserListView FromQuery(
        string? search, string? role, string? status, string? sort, string? descending, string? page, string? pageSize,
        out IReadOnlyList<string> ignored)
    {
        var notTaken = new List<string>();
        var cleanSearch = WithoutControlCharacters((search ?? string.Empty).Trim());
        if (cleanSearch.Length != (search ?? string.Empty).Trim().Length || cleanSearch.Length > ListUsersQuery.SearchMaxLength)
        {
            notTaken.Add("search");
        }

        var view = new UserListView(
            Search: cleanSearch.Length > ListUsersQuery.SearchMaxLength ? cleanSearch[..ListUsersQuery.SearchMaxLength].Trim() : cleanSearch,
            Role: Taken("role", role, UrlState.Enum<UserRole>(role), notTaken),
            Status: Taken("status", status, UrlState.Enum<UserStatus>(status), notTaken),
            Sort: Taken("sort", sort, ListUsersQuery.CanonicalSortKey(sort), notTaken) ?? ListUsersQuery.SortByName,
            Descending: string.Equals(descending, "true", StringComparison.OrdinalIgnoreCase),
            Page: Taken("page", page, ParseWhole(page, 1, MaxPage), notTaken) ?? 1,
            PageSize: Taken<int?>("size", pageSize, ParseWhole(pageSize, 1, int.MaxValue) is { } size && PageSizes.Contains(size) ? size : null, notTaken)
                ?? DefaultPageSize);
        ignored = notTaken;
        return view;
    }

    /// <summary>Reads the view from query values, ignoring anything it cannot take.</summary>
    public static UserListView FromQuery(
        string? search, string? role, string? status, string? sort, string? descending, string? page, string? pageSize) =>
        FromQuery(search, role, status, sort, descending, page, pageSize, out _);

    /// <summary>The query string parameters; defaults are left out to keep links short.</summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>
    {
        ["search"] = Search.Length > 0 ? Search : null,
        ["role"] = Role?.ToString(),
        ["status"] = Status?.ToString(),
        ["sort"] = Sort == ListUsersQuery.SortByName ? null : Sort,
        ["desc"] = Descending ? "true" : null,
        ["page"] = Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null,
        ["size"] = PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>"1 user", "1,234 users", or "10,000+ users" when a broad search stopped counting.</summary>
    public static string TotalText(Page<UserListItem>? page) => page is null ? string.Empty
        : page.IsTotalCapped ? $"{page.TotalCount:N0}+ users"
        : page.TotalCount == 1 ? "1 user" : $"{page.TotalCount:N0} users";

    /// <summary>What the search matched, when it is not simply "anywhere in the name or email"; null otherwise.</summary>
    public string? SearchNote(Page<UserListItem>? page) =>
        UserSearch.IsPrefixSearch(Search)
            ? $"One or two letters match the start of a name or email. Type {UserSearch.SubstringMinLength} or more to match anywhere."
            : page is { IsTotalCapped: true }
                ? $"More than {page.TotalCount:N0} users match: the pages reach the first {page.TotalCount:N0}. Narrow the search to see the rest."
                : null;

    /// <summary>How the grid's column for <paramref name="sortKey"/> starts: this view's direction if it sorts by it.</summary>
    public MudBlazor.SortDirection DirectionOf(string sortKey) =>
        Sort != sortKey ? MudBlazor.SortDirection.None
        : Descending ? MudBlazor.SortDirection.Descending : MudBlazor.SortDirection.Ascending;

    /// <summary>
    /// The cursor to send for <paramref name="next"/> when it is one step from this view (the next or previous
    /// page, nothing else changed): the next page then seeks from the row next to it instead of skipping rows.
    /// </summary>
    public string? CursorTo(UserListView next, Page<UserListItem>? shown) =>
        next with { Page = Page } != this || shown is null ? null
        : next.Page == Page + 1 ? shown.NextCursor
        : next.Page == Page - 1 ? shown.PreviousCursor
        : null;

    /// <summary>Where the list is exported as CSV (<c>GET /users/export.csv</c>).</summary>
    public const string ExportPath = "users/export.csv";

    /// <summary>The users this view filters to, whatever the page.</summary>
    public UserListFilter Filter => new(Search.Length > 0 ? Search : null, Role, Status);

    /// <summary>The export of every page of this view: its search, filters and sort, no paging.</summary>
    public string ExportUrl() => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(ExportPath,
        ToQueryParameters().Where(p => p.Key is not "page" and not "size" && p.Value is not null)
            .ToDictionary(p => p.Key, p => (string?)p.Value!.ToString()));

    public ListUsersQuery ToQuery() =>
        new(Search.Length > 0 ? Search : null, Role, Status, Sort, Descending, Page, PageSize);

    private static T? Taken<T>(string name, string? raw, T? parsed, List<string> notTaken)
    {
        if (!string.IsNullOrEmpty(raw) && parsed is null)
        {
            notTaken.Add(name);
        }

        return parsed;
    }

    private static int? ParseWhole(string? value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max
            ? parsed
            : null;

    private static string WithoutControlCharacters(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Where(c => !char.IsControl(c))) : text;
}

using System.Globalization;
using UserManagement.Application.Users;

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
    int PageSize = UserListView.DefaultPageSize)
{
    public const int DefaultPageSize = 25;

    public static IReadOnlyList<int> PageSizes { get; } = [10, 25, 50, 100];

    public bool IsFiltered => Search.Length > 0 || Role is not null || Status is not null;

    /// <summary>
    /// Reads the view from query values, falling back to defaults for anything unknown, malformed or out of range.
    /// Page and size arrive as text: a typed query parameter that does not parse (page=1e9) would throw in the router.
    /// </summary>
    public static UserListView FromQuery(
        string? search, string? role, string? status, string? sort, string? descending, string? pageText, string? pageSizeText)
    {
        var page = int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : (int?)null;
        var pageSize = int.TryParse(pageSizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : (int?)null;
        var trimmed = (search ?? string.Empty).Trim();
        return new UserListView(
            Search: trimmed.Length > ListUsersQuery.SearchMaxLength ? trimmed[..ListUsersQuery.SearchMaxLength] : trimmed,
            Role: ParseEnum<UserRole>(role),
            Status: ParseEnum<UserStatus>(status),
            Sort: ListUsersQuery.CanonicalSortKey(sort) ?? ListUsersQuery.SortByName,
            Descending: string.Equals(descending, "true", StringComparison.OrdinalIgnoreCase),
            Page: page is > 0 ? page.Value : 1,
            PageSize: pageSize is { } size && PageSizes.Contains(size) ? size : DefaultPageSize);
    }

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

    public ListUsersQuery ToQuery() =>
        new(Search.Length > 0 ? Search : null, Role, Status, Sort, Descending, Page, PageSize);

    private static TEnum? ParseEnum<TEnum>(string? value)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : null;
}

using System.Globalization;
using System.Text;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// The read side of the users list: answers one validated <see cref="UserListRequest"/> from a store shaped
/// for it. The list (<see cref="ListUsersQueryHandler"/>) asks it for a page; the export, the bulk actions (their
/// preview, their start and the targets they resolve) and <c>AdministrativePower</c> walk it page by page through
/// <see cref="UserListPages"/> or ask it directly. Infrastructure/Users plans the page the same way on every
/// database; the provider's folder (Infrastructure/Sqlite/Users, Infrastructure/PostgreSql/Users: its own table kept in
/// step by triggers, a trigram index and maintained counts) holds the SQL.
/// </summary>
public interface IUserListReader
{
    Task<Page<UserListItem>> ReadPageAsync(UserListRequest request, CancellationToken cancellationToken);
}

/// <summary>One page of the list as the read side sees it: every value already checked and normalised.</summary>
public sealed record UserListRequest(
    UserSearch? Search,
    UserRole? Role,
    UserStatus? Status,
    string SortBy,
    bool Descending,
    int Page,
    int PageSize,
    UserListCursor? Cursor = null)
{
    /// <summary>How many rows come before this page; a long, so a huge page number cannot overflow it.</summary>
    public long Offset => (Page - 1L) * PageSize;
}

/// <summary>
/// What to look for in names and emails, folded the way the stored keys are (<see cref="UserRules.NameKey"/>).
/// Three characters or more match anywhere in the name or email; one or two match the start of either only,
/// because a substring index needs three characters and a scan of every user would not be instant.
/// </summary>
public sealed record UserSearch(string Key, bool IsPrefix)
{
    /// <summary>The fewest characters (Unicode scalar values) that match anywhere rather than at the start.</summary>
    public const int SubstringMinLength = 3;

    public static UserSearch? From(string? search)
    {
        var key = UserRules.NameKey(search);
        return key.Length == 0 ? null : new UserSearch(key, IsPrefixSearch(key));
    }

    /// <summary>True when <paramref name="search"/> is too short for a substring match: it matches at the start only.</summary>
    public static bool IsPrefixSearch(string? search)
    {
        var trimmed = (search ?? string.Empty).Trim();
        return trimmed.Length > 0 && trimmed.EnumerateRunes().Count() < SubstringMinLength;
    }
}

/// <summary>
/// A position in one sort order: the page it leads to, and the sort key and id of the row next to it (the
/// last row of the page before, or the first row of the page after). Opaque to callers: they pass back the
/// <see cref="Page{T}.NextCursor"/> or <see cref="Page{T}.PreviousCursor"/> they were given.
/// </summary>
public sealed record UserListCursor(int Page, bool Before, string SortBy, bool Descending, string Key, Guid Id)
{
    public const int MaxLength = 600;

    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n',
            Page.ToString(CultureInfo.InvariantCulture), Before ? "b" : "a", SortBy, Descending ? "d" : "a", Id.ToString("N"), Key)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The cursor <paramref name="text"/> encodes, or null for anything that is not one of ours.</summary>
    public static UserListCursor? TryDecode(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return null;
        }

        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('\n', 6);
            return parts.Length == 6
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1
                && parts[1] is "a" or "b"
                && ListUsersQuery.SortKeys.Contains(parts[2])
                && parts[3] is "a" or "d"
                && Guid.TryParseExact(parts[4], "N", out var id)
                ? new UserListCursor(page, parts[1] == "b", parts[2], parts[3] == "d", parts[5], id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// One page of users for the list screen. <see cref="Search"/> matches name or email, case-insensitively;
/// <see cref="SortBy"/> is one of <see cref="ListUsersQuery.SortKeys"/>; <see cref="Page"/> counts from 1.
/// A search of one or two characters matches the start of a name or email only (<see cref="UserSearch"/>).
/// <see cref="Cursor"/> is optional: the <see cref="Page{T}.NextCursor"/> or <see cref="Page{T}.PreviousCursor"/>
/// of the page shown, which lets the next or previous page be found without counting rows.
/// </summary>
public sealed record ListUsersQuery(
    string? Search = null,
    UserRole? Role = null,
    UserStatus? Status = null,
    string? SortBy = null,
    bool Descending = false,
    int Page = 1,
    int PageSize = ListUsersQuery.DefaultPageSize,
    string? Cursor = null) : IQuery<Result<Page<UserListItem>>>
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;
    public const int SearchMaxLength = 200;

    public const string SortByName = "name";
    public const string SortByEmail = "email";
    public const string SortByRole = "role";
    public const string SortByStatus = "status";
    public const string SortByCreatedAt = "createdAt";
    public const string SortByUpdatedAt = "updatedAt";
    public const string SortByLastSignInAt = "lastSignInAt";

    public static IReadOnlyList<string> SortKeys { get; } =
        [SortByName, SortByEmail, SortByRole, SortByStatus, SortByCreatedAt, SortByUpdatedAt, SortByLastSignInAt];

    /// <summary>The sort key as the handler applies it: a known key in its canonical spelling, or null.</summary>
    public static string? CanonicalSortKey(string? sortBy) =>
        string.IsNullOrWhiteSpace(sortBy)
            ? SortByName
            : SortKeys.FirstOrDefault(k => string.Equals(k, sortBy.Trim(), StringComparison.OrdinalIgnoreCase));
}

public sealed class ListUsersQueryValidator : AbstractValidator<ListUsersQuery>
{
    public ListUsersQueryValidator()
    {
        RuleFor(q => q.Search)
            .MaximumLength(ListUsersQuery.SearchMaxLength)
            .WithMessage($"Search must be at most {ListUsersQuery.SearchMaxLength} characters.")
            // No stored name or email holds one (UserRules), and a NUL cut SQLite's full-text query short (ADR 0019).
            .Must(search => search is null || !UserRules.HasForbiddenCharacters(search))
            .WithMessage("Search cannot contain control characters or text-direction overrides.");
        RuleFor(q => q.Role).IsInEnum().WithMessage("Unknown role filter.");
        RuleFor(q => q.Status).IsInEnum().WithMessage("Unknown status filter.");
        RuleFor(q => q.SortBy)
            .Must(sortBy => ListUsersQuery.CanonicalSortKey(sortBy) is not null)
            .WithMessage($"Sort by one of: {string.Join(", ", ListUsersQuery.SortKeys)}.");
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1).WithMessage("Page must be 1 or more.");
        RuleFor(q => q.PageSize)
            .InclusiveBetween(1, ListUsersQuery.MaxPageSize)
            .WithMessage($"Page size must be between 1 and {ListUsersQuery.MaxPageSize}.");
        RuleFor(q => q.Cursor)
            .MaximumLength(UserListCursor.MaxLength)
            .WithMessage("The page cursor is not valid.");
    }
}

/// <summary>
/// Checks and normalises the query, then asks the read side (<see cref="IUserListReader"/>) for the page. A
/// cursor is used only when it leads to the page asked for in the same order; otherwise the page is found by
/// its number.
/// </summary>
public sealed class ListUsersQueryHandler(IUserListReader reader)
    : IQueryHandler<ListUsersQuery, Result<Page<UserListItem>>>
{
    public async ValueTask<Result<Page<UserListItem>>> Handle(ListUsersQuery query, CancellationToken cancellationToken)
    {
        var sortBy = ListUsersQuery.CanonicalSortKey(query.SortBy)!;
        var cursor = UserListCursor.TryDecode(query.Cursor) is { } decoded
            && decoded.Page == query.Page && decoded.SortBy == sortBy && decoded.Descending == query.Descending
                ? decoded
                : null;
        var request = new UserListRequest(
            UserSearch.From(query.Search), query.Role, query.Status, sortBy, query.Descending, query.Page, query.PageSize, cursor);
        return await reader.ReadPageAsync(request, cancellationToken);
    }
}

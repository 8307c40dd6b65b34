using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// One page of users for the list screen. <see cref="Search"/> matches name or email, case-insensitively;
/// <see cref="SortBy"/> is one of <see cref="ListUsersQuery.SortKeys"/>; <see cref="Page"/> counts from 1.
/// </summary>
public sealed record ListUsersQuery(
    string? Search = null,
    UserRole? Role = null,
    UserStatus? Status = null,
    string? SortBy = null,
    bool Descending = false,
    int Page = 1,
    int PageSize = ListUsersQuery.DefaultPageSize) : IQuery<Result<Page<UserListItem>>>
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
            .WithMessage($"Search must be at most {ListUsersQuery.SearchMaxLength} characters.");
        RuleFor(q => q.Role).IsInEnum().WithMessage("Unknown role filter.");
        RuleFor(q => q.Status).IsInEnum().WithMessage("Unknown status filter.");
        RuleFor(q => q.SortBy)
            .Must(sortBy => ListUsersQuery.CanonicalSortKey(sortBy) is not null)
            .WithMessage($"Sort by one of: {string.Join(", ", ListUsersQuery.SortKeys)}.");
        RuleFor(q => q.Page).GreaterThanOrEqualTo(1).WithMessage("Page must be 1 or more.");
        RuleFor(q => q.PageSize)
            .InclusiveBetween(1, ListUsersQuery.MaxPageSize)
            .WithMessage($"Page size must be between 1 and {ListUsersQuery.MaxPageSize}.");
    }
}

public sealed class ListUsersQueryHandler(IAppDbContextFactory dbFactory)
    : IQueryHandler<ListUsersQuery, Result<Page<UserListItem>>>
{
    public async ValueTask<Result<Page<UserListItem>>> Handle(ListUsersQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = Filter(db.Users.AsNoTracking(), query);

        var total = await users.CountAsync(cancellationToken);

        // (Page - 1) * PageSize overflows an int for pages far past the end, and SQLite reads a negative offset as 0.
        var offset = ((long)query.Page - 1) * query.PageSize;
        if (offset >= total)
        {
            return new Page<UserListItem>([], query.Page, query.PageSize, total);
        }

        var items = await Sort(users, ListUsersQuery.CanonicalSortKey(query.SortBy)!, query.Descending)
            .Skip((int)offset)
            .Take(query.PageSize)
            .Select(u => new UserListItem(u.Id, u.Name, u.Email, u.Role, u.Status, u.CreatedAt, u.UpdatedAt, u.Version, u.LastSignInAt, u.LockedUntil))
            .ToListAsync(cancellationToken);

        return new Page<UserListItem>(items, query.Page, query.PageSize, total);
    }

    private static IQueryable<User> Filter(IQueryable<User> users, ListUsersQuery query)
    {
        var search = query.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            // Both sides folded with the same invariant upper-casing, so the match ignores case for any script.
            var key = search.ToUpperInvariant();
            users = users.Where(u => u.NormalizedName.Contains(key) || u.NormalizedEmail.Contains(key));
        }

        if (query.Role is { } role)
        {
            users = users.Where(u => u.Role == role);
        }

        if (query.Status is { } status)
        {
            users = users.Where(u => u.Status == status);
        }

        return users;
    }

    /// <summary>Orders by the chosen key, then by id, so equal keys keep a stable order across pages.</summary>
    private static IOrderedQueryable<User> Sort(IQueryable<User> users, string sortBy, bool descending)
    {
        var ordered = sortBy switch
        {
            ListUsersQuery.SortByEmail => OrderBy(users, u => u.NormalizedEmail, descending),
            ListUsersQuery.SortByRole => OrderBy(users, u => u.Role, descending),
            ListUsersQuery.SortByStatus => OrderBy(users, u => u.Status, descending),
            ListUsersQuery.SortByCreatedAt => OrderBy(users, u => u.CreatedAt, descending),
            ListUsersQuery.SortByUpdatedAt => OrderBy(users, u => u.UpdatedAt, descending),
            ListUsersQuery.SortByLastSignInAt => OrderBy(users, u => u.LastSignInAt, descending),
            _ => OrderBy(users, u => u.NormalizedName, descending),
        };
        return descending ? ordered.ThenByDescending(u => u.Id) : ordered.ThenBy(u => u.Id);
    }

    private static IOrderedQueryable<User> OrderBy<TKey>(
        IQueryable<User> users, System.Linq.Expressions.Expression<Func<User, TKey>> key, bool descending) =>
        descending ? users.OrderByDescending(key) : users.OrderBy(key);
}

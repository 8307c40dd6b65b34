using System.Runtime.CompilerServices;
using FluentValidation;
using Mediator;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// Every user the list shows for <see cref="Filter"/>, in its sort order, all pages, as a stream: the read side is
/// asked a page at a time (keyset, from the cursor of the page before), so the caller writes each row as it comes
/// and the whole list never sits in memory.
/// </summary>
public sealed record ExportUsersQuery(UserListFilter Filter, string? SortBy = null, bool Descending = false)
    : IQuery<Result<IAsyncEnumerable<UserListItem>>>;

public sealed class ExportUsersQueryValidator : AbstractValidator<ExportUsersQuery>
{
    public ExportUsersQueryValidator()
    {
        RuleFor(q => q.Filter).NotNull().SetValidator(new UserListFilterValidator());
        RuleFor(q => q.SortBy)
            .Must(sortBy => ListUsersQuery.CanonicalSortKey(sortBy) is not null)
            .WithMessage($"Sort by one of: {string.Join(", ", ListUsersQuery.SortKeys)}.");
    }
}

/// <summary>Records the export (who, which filter) in the audit trail, then hands back the rows as a stream.</summary>
public sealed class ExportUsersQueryHandler(IUserListReader reader, DataExports exports)
    : IQueryHandler<ExportUsersQuery, Result<IAsyncEnumerable<UserListItem>>>
{
    public async ValueTask<Result<IAsyncEnumerable<UserListItem>>> Handle(ExportUsersQuery query, CancellationToken cancellationToken)
    {
        var sortBy = ListUsersQuery.CanonicalSortKey(query.SortBy)!;
        var filter = DataExports.Describe("Users list", ("search", query.Filter.Search), ("role", query.Filter.Role), ("status", query.Filter.Status));
        await exports.RecordAsync($"{filter}, sorted by {sortBy}{(query.Descending ? " descending" : string.Empty)}", cancellationToken);
        return Result<IAsyncEnumerable<UserListItem>>.Success(
            UserListPages.ReadAllAsync(reader, query.Filter, sortBy, query.Descending, CancellationToken.None));
    }
}

/// <summary>Reads every page of the users list for a filter and order, one page at a time.</summary>
public static class UserListPages
{
    /// <summary>Rows read per page: few round trips, and never more than this many rows held at once.</summary>
    public const int PageSize = 1000;

    /// <summary>
    /// The users matching <paramref name="filter"/> in the order given. A search that matches more than the read side
    /// counts (<see cref="Page{T}.IsTotalCapped"/>) ends where the list's pages end.
    /// </summary>
    public static async IAsyncEnumerable<UserListItem> ReadAllAsync(
        IUserListReader reader, UserListFilter filter, string sortBy, bool descending,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(filter);
        var request = new UserListRequest(UserSearch.From(filter.Search), filter.Role, filter.Status, sortBy, descending, 1, PageSize);
        while (true)
        {
            var page = await reader.ReadPageAsync(request, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (page.Items.Count == 0 || UserListCursor.TryDecode(page.NextCursor) is not { } next)
            {
                yield break;
            }

            request = request with { Page = next.Page, Cursor = next };
        }
    }
}

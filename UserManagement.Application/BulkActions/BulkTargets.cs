using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.BulkActions;

/// <summary>A selected user as it is now.</summary>
public sealed record BulkTarget(Guid Id, string Name, string Email, UserRole Role, UserStatus Status)
{
    public UserRef Ref => new(Id, Name, Email);
}

/// <summary>Reads the users a selection stands for, in the list's default order (by name), one page at a time.</summary>
internal static class BulkTargets
{
    public static async IAsyncEnumerable<BulkTarget> ReadAsync(
        BulkSelection selection, IAppDbContextFactory dbFactory, IUserListReader reader,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (selection.Matching is { } filter)
        {
            await foreach (var user in UserListPages.ReadAllAsync(reader, filter, ListUsersQuery.SortByName, false, cancellationToken))
            {
                yield return new BulkTarget(user.Id, user.Name, user.Email, user.Role, user.Status);
            }

            yield break;
        }

        var ids = selection.UserIds!.Distinct().ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new BulkTarget(u.Id, u.Name, u.Email, u.Role, u.Status))
            .ToListAsync(cancellationToken);
        foreach (var user in users.OrderBy(u => u.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(u => u.Id))
        {
            yield return user;
        }
    }

    public static Task<int> ActiveAdministratorsAsync(IAppDbContext db, CancellationToken cancellationToken) =>
        db.Users.CountAsync(u => u.Role == UserRole.Administrator && u.Status == UserStatus.Active, cancellationToken);
}

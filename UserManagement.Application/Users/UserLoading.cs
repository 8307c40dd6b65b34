using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>The optimistic-concurrency steps every command that changes an existing user takes.</summary>
internal static class UserLoading
{
    /// <summary>
    /// Loads the user tracked for a change, refusing when it is gone (not found) or when the caller's
    /// <paramref name="expectedVersion"/> is stale (a conflict carrying what is stored now).
    /// </summary>
    public static async Task<Result<User>> LoadForChangeAsync(
        this IAppDbContext db, Guid id, long expectedVersion, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return UserErrors.NotFound(id);
        }

        return user.Version == expectedVersion ? user : UserErrors.Conflict(user.ToDetails());
    }

    /// <summary>
    /// After a save lost a race (its version check matched no row): the conflict with what won,
    /// or not found when the winner deleted the user.
    /// </summary>
    public static async Task<Error> LostRaceAsync(
        this IAppDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var current = await db.Users.AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new UserDetails(u.Id, u.Name, u.Email, u.Role, u.Status, u.CreatedAt, u.UpdatedAt, u.Version))
            .FirstOrDefaultAsync(cancellationToken);
        return current is null ? UserErrors.NotFound(id) : UserErrors.Conflict(current);
    }
}

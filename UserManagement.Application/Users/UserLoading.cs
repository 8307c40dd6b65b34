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
    /// Saves the change to user <paramref name="id"/>; null when it landed. A save that lost a race (its version
    /// check matched no row) gets the conflict with what won, or not found when the winner deleted the user.
    /// An email the unique index refused gets the same field error the validator gives.
    /// </summary>
    public static async Task<Error?> TrySaveUserAsync(
        this IAppDbContext db, Guid id, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            var current = await db.DetailsByIdAsync(id, cancellationToken);
            return current is null ? UserErrors.NotFound(id) : UserErrors.Conflict(current);
        }
        catch (UniqueConstraintException e) when (e.IndexName == UserRules.UniqueEmailIndex)
        {
            return UserErrors.DuplicateEmail();
        }
    }
}

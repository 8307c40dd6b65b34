using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// Keeps someone able to administer: an administrator cannot delete, disable or demote themself, and the last
/// active Administrator can never be deleted, disabled or demoted.
/// </summary>
internal static class UserGuards
{
    public const string LastAdministrator =
        "This is the last active administrator. Make someone else an administrator first.";

    /// <summary>True when the change takes administration away from an active Administrator.</summary>
    public static bool RemovesAdministration(User target, UserRole? newRole, UserStatus? newStatus, bool deleting) =>
        target.Role == UserRole.Administrator && target.Status == UserStatus.Active
        && (deleting || newStatus == UserStatus.Disabled || newRole is { } role && role != UserRole.Administrator);

    /// <summary>
    /// Refuses the change for the reasons above. Call it inside the transaction that saves the change, so two
    /// administrators demoting each other at once cannot both pass (<see cref="UserChangeScope.GuardedAsync"/> does).
    /// </summary>
    public static async Task<Error?> CheckAsync(
        IAppDbContext db, Caller caller, User target, string action, CancellationToken cancellationToken)
    {
        if (target.Id == caller.UserId)
        {
            return new ForbiddenError($"You cannot {action} your own account.");
        }

        var others = await db.Users.CountAsync(
            u => u.Id != target.Id && u.Role == UserRole.Administrator && u.Status == UserStatus.Active,
            cancellationToken);
        return others == 0 ? new ForbiddenError(LastAdministrator) : null;
    }
}

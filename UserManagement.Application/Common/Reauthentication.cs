using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Users;

namespace UserManagement.Application.Common;

/// <summary>
/// A sensitive action (ASVS 5.0 7.5.1): the caller must have entered their password or an authenticator code within
/// the last five minutes. <see cref="AuthorizationBehavior{TMessage, TResponse}"/> asks every message so marked, and
/// nothing else asks: the rule (docs/security.md, "Re-authentication") is that re-authentication comes before
/// setting a password, resetting or changing MFA, ending a user's sessions, deleting a user, and anything that grants
/// or removes administrative power (<see cref="AdministrativePower"/>). A message whose need depends on what it
/// carries or on what is stored (creating a user with a role, changing a user's role or status, a bulk action, an
/// import) says so in <see cref="RequiresReauthenticationAsync"/>; the others always need it.
/// </summary>
public interface IRequiresReauthentication
{
    /// <summary>True when this message, as it is, needs a recent re-authentication. Asked only of a caller without one.</summary>
    ValueTask<bool> RequiresReauthenticationAsync(AdministrativePower power, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}

public static class Reauthentication
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Null when the caller re-authenticated recently enough; otherwise the error the UI turns into a prompt.</summary>
    public static ReauthenticationRequiredError? Check(Caller caller, DateTime utcNow) =>
        caller.IsRecentlyAuthenticatedAt(utcNow) ? null : new ReauthenticationRequiredError();
}

/// <summary>
/// What grants or removes administrative power, the one rule the messages ask: a user is or becomes an Administrator,
/// and their role or status changes (promoting, demoting, disabling or activating an administrator, creating one).
/// Renaming an administrator, or anything done to members only, touches no such power.
/// </summary>
public sealed class AdministrativePower(IAppDbContextFactory dbFactory, IUserListReader reader)
{
    /// <summary>Creating a user (one by one, or a row of an import) with this role grants administrative power.</summary>
    public static bool Grants(UserRole role) => role == UserRole.Administrator;

    /// <summary>True when a user with role and status <paramref name="before"/> moving to <paramref name="after"/> gains or loses power.</summary>
    public static bool Changes((UserRole Role, UserStatus Status) before, (UserRole Role, UserStatus Status) after) =>
        (before.Role == UserRole.Administrator || after.Role == UserRole.Administrator) && before != after;

    /// <summary>
    /// True when changing the stored user to <paramref name="role"/> and <paramref name="status"/> (null: unchanged)
    /// grants or removes administrative power. False for a user that does not exist: the handler says so.
    /// </summary>
    public async ValueTask<bool> ChangesAsync(Guid userId, UserRole? role, UserStatus? status, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Role, u.Status }).FirstOrDefaultAsync(cancellationToken);
        return stored is not null && Changes((stored.Role, stored.Status), (role ?? stored.Role, status ?? stored.Status));
    }

    /// <summary>True when any of the users is an Administrator (a bulk action on them would change their power).</summary>
    public async ValueTask<bool> AnyAdministratorAsync(IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(u => userIds.Contains(u.Id) && u.Role == UserRole.Administrator, cancellationToken);
    }

    /// <summary>True when any user the list shows for <paramref name="filter"/> is an Administrator.</summary>
    public async ValueTask<bool> AnyAdministratorAsync(UserListFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Role is { } role && !Grants(role))
        {
            return false;
        }

        var administrators = new UserListRequest(
            UserSearch.From(filter.Search), UserRole.Administrator, filter.Status, ListUsersQuery.SortByName, Descending: false, Page: 1, PageSize: 1);
        return (await reader.ReadPageAsync(administrators, cancellationToken)).Items.Count > 0;
    }
}

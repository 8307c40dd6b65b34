using System.Security.Claims;
using UserManagement.Application.Users;

namespace UserManagement.Web.Live;

/// <summary>What the live pages need to know about a change and about who is looking.</summary>
public static class LiveChanges
{
    /// <summary>The signed-in administrator's id, from the circuit's principal.</summary>
    public static Guid? AdministratorId(ClaimsPrincipal? user) =>
        Guid.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>A change someone else made (a colleague, or the system), not this administrator.</summary>
    public static bool IsSomeoneElses(this UserChange change, Guid? me) => me is null || change.Context.ActorId != me;

    /// <summary>What on the user's page the event changed, in the words of the screen; empty if nothing shown.</summary>
    public static IReadOnlyList<string> FieldsChanged(IUserEvent domainEvent) => domainEvent switch
    {
        UserUpdated updated => [.. updated.Changes.Select(c => c.Field)],
        UserRoleChanged => ["Role"],
        UserStatusChanged => ["Status"],
        PasswordReset => ["Temporary password"],
        PasswordChanged => ["Password"],
        UserUnlocked => ["Lockout"],
        _ => [],
    };
}

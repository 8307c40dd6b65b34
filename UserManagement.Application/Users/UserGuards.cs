using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
    /// administrators demoting each other at once cannot both pass.
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

/// <summary>
/// A change that takes administration away from someone: the guard's check and the save share one write
/// transaction (an immediate one on SQLite), or nothing is written.
/// </summary>
internal sealed class GuardedChange : IAsyncDisposable
{
    public static readonly GuardedChange Unguarded = new(null, null);

    private readonly IDbContextTransaction? _transaction;

    private GuardedChange(IDbContextTransaction? transaction, Error? refusal)
    {
        _transaction = transaction;
        Refusal = refusal;
    }

    public Error? Refusal { get; }

    /// <summary>
    /// Starts the guarded transaction when the change (a new role or status, or deleting) takes administration away
    /// from an active Administrator; otherwise the change needs no guard.
    /// </summary>
    public static async Task<GuardedChange> BeginAsync(
        IAppDbContext db, ICurrentUser currentUser, User target, UserRole? newRole, UserStatus? newStatus, bool deleting,
        CancellationToken cancellationToken)
    {
        if (!UserGuards.RemovesAdministration(target, newRole, newStatus, deleting))
        {
            return Unguarded;
        }

        var action = deleting ? "delete" : newStatus == UserStatus.Disabled ? "disable" : "demote";
        var caller = await currentUser.GetCallerAsync(cancellationToken)
            ?? throw new InvalidOperationException("The authorization step lets no anonymous caller reach a user command.");
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var refusal = await UserGuards.CheckAsync(db, caller, target, action, cancellationToken);
        return new GuardedChange(transaction, refusal);
    }

    public Task CommitAsync(CancellationToken cancellationToken) =>
        _transaction?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _transaction?.DisposeAsync() ?? ValueTask.CompletedTask;
}

using Microsoft.EntityFrameworkCore.Storage;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// How a command saves its change to an existing user: <see cref="Direct"/> (the user row alone),
/// <see cref="InTransactionAsync"/> (the user and other rows, such as the sessions it ends, land together), or
/// <see cref="GuardedAsync"/> (a change that may take administration away: the guard's check and the save share
/// one write transaction). Disposing it without <see cref="SaveAsync"/> writes nothing.
/// </summary>
/// <remarks>Not <c>UserChange</c>: that is the live broadcast's record in the Web project.</remarks>
internal sealed class UserChangeScope : IAsyncDisposable
{
    private readonly IAppDbContext _db;
    private readonly IDbContextTransaction? _transaction;

    private UserChangeScope(IAppDbContext db, IDbContextTransaction? transaction, Error? refusal)
    {
        _db = db;
        _transaction = transaction;
        Refusal = refusal;
    }

    /// <summary>Why the guard refuses the change (<see cref="GuardedAsync"/> only); null when it may go ahead.</summary>
    public Error? Refusal { get; }

    /// <summary>A change saved on its own, without a transaction of ours.</summary>
    public static UserChangeScope Direct(IAppDbContext db) => new(db, null, null);

    /// <summary>A change whose writes (the user and whatever else the handler writes first) commit together.</summary>
    public static async Task<UserChangeScope> InTransactionAsync(IAppDbContext db, CancellationToken cancellationToken) =>
        new(db, await db.Database.BeginTransactionAsync(cancellationToken), null);

    /// <summary>
    /// A change that is checked by <see cref="UserGuards"/> when it (a new role or status, or deleting) takes
    /// administration away from an active Administrator: then the check runs inside the transaction that saves the
    /// change, so two administrators demoting each other at once cannot both pass. Any other change is
    /// <see cref="Direct"/>.
    /// </summary>
    public static async Task<UserChangeScope> GuardedAsync(
        IAppDbContext db, ICurrentUser currentUser, User target, UserRole? newRole, UserStatus? newStatus, bool deleting,
        CancellationToken cancellationToken)
    {
        if (!UserGuards.RemovesAdministration(target, newRole, newStatus, deleting))
        {
            return Direct(db);
        }

        var action = deleting ? "delete" : newStatus == UserStatus.Disabled ? "disable" : "demote";
        var caller = await currentUser.GetCallerAsync(cancellationToken)
            ?? throw new InvalidOperationException("The authorization step lets no anonymous caller reach a user command.");
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var refusal = await UserGuards.CheckAsync(db, caller, target, action, cancellationToken);
        return new UserChangeScope(db, transaction, refusal);
    }

    /// <summary>
    /// Saves the change to <paramref name="user"/> (<see cref="UserLoading.TrySaveUserAsync"/>) and commits the
    /// transaction when there is one: the user's new version, or why it was not saved (nothing is then written).
    /// </summary>
    public async Task<Result<long>> SaveAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await _db.TrySaveUserAsync(user.Id, cancellationToken) is { } error)
        {
            return error;
        }

        if (_transaction is not null)
        {
            await _transaction.CommitAsync(cancellationToken);
        }

        return user.Version;
    }

    public ValueTask DisposeAsync() => _transaction?.DisposeAsync() ?? ValueTask.CompletedTask;
}

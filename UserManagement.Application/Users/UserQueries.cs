using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// The hot reads of one user, compiled once (<see cref="EF.CompileAsyncQuery{TContext, TParam1, TResult}(System.Linq.Expressions.Expression{Func{TContext, TParam1, TResult}})"/>):
/// an uncompiled LINQ query is looked up in EF Core's query cache by its shape on every call, which cost about
/// three times the query itself (ADR 0018). The SQL is the same.
/// </summary>
internal static class UserQueries
{
    /// <summary>The one projection of a user into <see cref="UserDetails"/>, for queries and in memory alike.</summary>
    private static readonly Expression<Func<User, UserDetails>> DetailsProjection =
        u => new UserDetails(u.Id, u.Name, u.Email, u.Role, u.Status, u.CreatedAt, u.UpdatedAt, u.Version, u.LastSignInAt, u.LockedUntil, u.MustChangePassword,
            u.MustChangePassword ? u.TemporaryPasswordExpiresAt : null);

    private static readonly Func<User, UserDetails> ToDetailsCompiled = DetailsProjection.Compile();

    internal static UserDetails ToDetails(this User user) => ToDetailsCompiled(user);

    private static readonly Func<DbContext, Guid, CancellationToken, Task<UserDetails?>> DetailsByIdQuery = EF.CompileAsyncQuery(
        (DbContext db, Guid id, CancellationToken _) => db.Set<User>().AsNoTracking().Where(u => u.Id == id).Select(DetailsProjection).FirstOrDefault());

    private static readonly Func<DbContext, string, Guid?, CancellationToken, Task<bool>> EmailTakenQuery = EF.CompileAsyncQuery(
        (DbContext db, string key, Guid? exceptUserId, CancellationToken _) => db.Set<User>().Any(
            u => u.NormalizedEmail == key && (exceptUserId == null || u.Id != exceptUserId)));

    /// <summary>The user as <see cref="UserDetails"/>, untracked; null when there is none.</summary>
    public static Task<UserDetails?> DetailsByIdAsync(this IAppDbContext db, Guid id, CancellationToken cancellationToken) =>
        DetailsByIdQuery(Context(db), id, cancellationToken);

    /// <summary>Whether another user than <paramref name="exceptUserId"/> has the normalized email <paramref name="key"/>.</summary>
    public static Task<bool> IsEmailTakenAsync(this IAppDbContext db, string key, Guid? exceptUserId, CancellationToken cancellationToken) =>
        EmailTakenQuery(Context(db), key, exceptUserId, cancellationToken);

    // The infrastructure's context is an EF Core DbContext; a compiled query is bound to that type.
    private static DbContext Context(IAppDbContext db) => (DbContext)db;
}

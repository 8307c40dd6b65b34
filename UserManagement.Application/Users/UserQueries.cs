using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>
/// The hot reads of one user, compiled once (<see cref="EF.CompileAsyncQuery{TContext, TParam1, TResult}(System.Linq.Expressions.Expression{Func{TContext, TParam1, TResult}})"/>):
/// an uncompiled LINQ query is looked up in EF Core's query cache by its shape on every call, which cost about
/// three times the query itself (ADR 0018). The SQL is the same. A compiled query is bound to the model it first
/// runs on, and each database provider's context has a model of its own (ADR 0029): each query is compiled once per
/// context type (one in production; both when the tests run SQLite and PostgreSQL in one process).
/// </summary>
internal static class UserQueries
{
    /// <summary>The one projection of a user into <see cref="UserDetails"/>, for queries and in memory alike.</summary>
    private static readonly Expression<Func<User, UserDetails>> DetailsProjection =
        u => new UserDetails(u.Id, u.Name, u.Email, u.Role, u.Status, u.CreatedAt, u.UpdatedAt, u.Version, u.LastSignInAt, u.LockedUntil, u.MustChangePassword,
            u.MustChangePassword ? u.TemporaryPasswordExpiresAt : null);

    private static readonly Func<User, UserDetails> ToDetailsCompiled = DetailsProjection.Compile();

    internal static UserDetails ToDetails(this User user) => ToDetailsCompiled(user);

    private static readonly ConcurrentDictionary<Type, Func<DbContext, Guid, CancellationToken, Task<UserDetails?>>> DetailsByIdQueries = new();

    private static readonly ConcurrentDictionary<Type, Func<DbContext, string, Guid?, CancellationToken, Task<bool>>> EmailTakenQueries = new();

    /// <summary>The user as <see cref="UserDetails"/>, untracked; null when there is none.</summary>
    public static Task<UserDetails?> DetailsByIdAsync(this IAppDbContext db, Guid id, CancellationToken cancellationToken) =>
        DetailsByIdQueries.GetOrAdd(db.GetType(), _ => EF.CompileAsyncQuery((DbContext db, Guid id, CancellationToken _) =>
            db.Set<User>().AsNoTracking().Where(u => u.Id == id).Select(DetailsProjection).FirstOrDefault()))(Context(db), id, cancellationToken);

    /// <summary>Whether another user than <paramref name="exceptUserId"/> has the normalized email <paramref name="key"/>.</summary>
    public static Task<bool> IsEmailTakenAsync(this IAppDbContext db, string key, Guid? exceptUserId, CancellationToken cancellationToken) =>
        EmailTakenQueries.GetOrAdd(db.GetType(), _ => EF.CompileAsyncQuery((DbContext db, string key, Guid? exceptUserId, CancellationToken _) =>
            db.Set<User>().Any(u => u.NormalizedEmail == key && (exceptUserId == null || u.Id != exceptUserId))))(
            Context(db), key, exceptUserId, cancellationToken);

    // The infrastructure's context is an EF Core DbContext of one provider's type.
    private static DbContext Context(IAppDbContext db) => (DbContext)db;
}

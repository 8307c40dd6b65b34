using System.Linq.Expressions;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>The failures user commands and queries return, worded once.</summary>
public static class UserErrors
{
    public static NotFoundError NotFound(Guid id) =>
        new($"User {id} was not found. It may have been deleted.");

    public static ConflictError<UserDetails> Conflict(UserDetails current) =>
        new("Someone else changed this user after you opened it. Review their changes and try again.", current);

    public static ValidationError DuplicateEmail() =>
        ValidationError.ForField(nameof(CreateUserCommand.Email), UserValidationRules.DuplicateEmailMessage);

    /// <summary>The one projection of a user into <see cref="UserDetails"/>, for queries and in memory alike.</summary>
    internal static readonly Expression<Func<User, UserDetails>> DetailsProjection =
        u => new UserDetails(u.Id, u.Name, u.Email, u.Role, u.Status, u.CreatedAt, u.UpdatedAt, u.Version, u.LastSignInAt, u.LockedUntil, u.MustChangePassword,
            u.MustChangePassword ? u.TemporaryPasswordExpiresAt : null);

    private static readonly Func<User, UserDetails> ToDetailsCompiled = DetailsProjection.Compile();

    internal static UserDetails ToDetails(this User user) => ToDetailsCompiled(user);
}

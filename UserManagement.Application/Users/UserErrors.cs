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
}

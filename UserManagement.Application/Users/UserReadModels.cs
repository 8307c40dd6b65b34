namespace UserManagement.Application.Users;

/// <summary>One user as the edit form shows it.</summary>
public sealed record UserDetails(
    Guid Id,
    string Name,
    string Email,
    UserRole Role,
    UserStatus Status,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version,
    DateTime? LastSignInAt = null,
    DateTime? LockedUntil = null,
    bool MustChangePassword = false,
    DateTime? TemporaryPasswordExpiresAt = null);

/// <summary>One row of the users list.</summary>
public sealed record UserListItem(
    Guid Id,
    string Name,
    string Email,
    UserRole Role,
    UserStatus Status,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version,
    DateTime? LastSignInAt = null,
    DateTime? LockedUntil = null);

using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>Which user an event is about, as they were at the time, so the record stays readable after a delete.</summary>
public sealed record UserRef(Guid Id, string Name, string Email);

/// <summary>A domain event about one user.</summary>
public interface IUserEvent : IDomainEvent
{
    UserRef User { get; }
}

/// <summary>One field that changed, as text the way the screen shows it; null where there was or is no value.</summary>
public sealed record FieldChange(string Field, string? Old, string? New);

public sealed record UserCreated(UserRef User, UserRole Role, UserStatus Status, DateTime OccurredAt) : IUserEvent;

/// <summary>Name or email changed (role and status have events of their own).</summary>
public sealed record UserUpdated(UserRef User, IReadOnlyList<FieldChange> Changes, DateTime OccurredAt) : IUserEvent;

/// <summary>The role changed; losing Administrator also ended the user's sessions.</summary>
public sealed record UserRoleChanged(UserRef User, UserRole From, UserRole To, DateTime OccurredAt) : IUserEvent;

/// <summary>Activated or disabled; disabling also ended the user's sessions.</summary>
public sealed record UserStatusChanged(UserRef User, UserStatus From, UserStatus To, DateTime OccurredAt) : IUserEvent;

public sealed record UserDeleted(UserRef User, UserRole Role, UserStatus Status, DateTime OccurredAt) : IUserEvent;

/// <summary>A temporary password was set (by an administrator, or at first start); it works until <see cref="ExpiresAt"/>.</summary>
public sealed record PasswordReset(UserRef User, DateTime ExpiresAt, DateTime OccurredAt) : IUserEvent;

/// <summary>The user's own password was set (by them, or from configuration at first start).</summary>
public sealed record PasswordChanged(UserRef User, DateTime OccurredAt) : IUserEvent;

public sealed record UserUnlocked(UserRef User, DateTime OccurredAt) : IUserEvent;

/// <summary><see cref="Count"/> open sessions of the user were ended, for <see cref="Reason"/>.</summary>
public sealed record SessionsEnded(UserRef User, int Count, string Reason, DateTime OccurredAt) : IUserEvent;

/// <summary>
/// Too many wrong passwords locked the user's sign-in (or too many wrong authenticator or recovery codes locked their
/// second factor: <see cref="Kind"/>) until <see cref="LockedUntil"/>. Recorded in the trail as the <c>LockedOut</c>
/// or <c>SecondFactorLockedOut</c> security event it stands for (with <see cref="Detail"/>), and published so online
/// administrators hear of it.
/// </summary>
public sealed record UserLockedOut(
    UserRef User, DateTime LockedUntil, string Detail, DateTime OccurredAt, LockoutKind Kind = LockoutKind.Password) : IUserEvent;

/// <summary>What a lockout refuses: passwords (sign-in), or authenticator and recovery codes (the second factor).</summary>
public enum LockoutKind
{
    Password,
    SecondFactor,
}

using UserManagement.Application.Users;

namespace UserManagement.Application.Common;

/// <summary>Who sends a message: a signed-in user whose session the server has just confirmed.</summary>
public sealed record Caller(Guid UserId, Guid SessionId, string Email, UserRole Role, bool MustChangePassword)
{
    /// <summary>May use the admin console: an Administrator who is not held at a forced password change.</summary>
    public bool IsAdministrator => Role == UserRole.Administrator && !MustChangePassword;
}

/// <summary>The caller of the current operation, or null when nobody (or no longer valid session) is signed in.</summary>
public interface ICurrentUser
{
    ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default);
}

/// <summary>A message anyone may send, signed in or not (signing in itself).</summary>
public interface IPublicMessage;

/// <summary>A message any signed-in user may send for themself (changing their own password, signing out).</summary>
public interface ISignedInMessage;

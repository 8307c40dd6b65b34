using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

/// <summary>Sign-in was refused. One message for every reason, so it reveals nothing about the account.</summary>
public sealed record SignInRefusedError() : Error(SignInRefusedError.Text)
{
    public const string Text =
        "Sign-in failed. Check your email and password. After 5 failed attempts an account is locked for 15 minutes.";
}

/// <summary>What a successful sign-in (or password change) hands back: the new session.</summary>
public sealed record SignedIn(Guid UserId, Guid SessionId, string Email, Users.UserRole Role, bool MustChangePassword);

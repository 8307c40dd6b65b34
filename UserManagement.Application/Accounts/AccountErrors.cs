using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

/// <summary>Sign-in was refused. One message for every reason, so it reveals nothing about the account.</summary>
public sealed record SignInRefusedError() : Error(SignInRefusedError.Text)
{
    public const string Text =
        "Sign-in failed. Check your email and password. After 5 failed attempts an account is locked for 15 minutes.";
}

/// <summary>
/// The password was right, but it was a temporary one past its expiry. Only someone who knows the password sees
/// this, so saying why reveals nothing about the account to anyone else.
/// </summary>
public sealed record TemporaryPasswordExpiredError() : Error(TemporaryPasswordExpiredError.Text)
{
    public const string Text = "Your temporary password has expired. Ask an administrator to set a new one.";
}

/// <summary>What a successful sign-in (or password change) hands back: the new session.</summary>
public sealed record SignedIn(Guid UserId, Guid SessionId, string Email, Users.UserRole Role, bool MustChangePassword);

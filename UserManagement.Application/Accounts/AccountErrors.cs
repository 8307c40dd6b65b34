using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

/// <summary>Sign-in was refused. One message for every reason, so it reveals nothing about the account.</summary>
public sealed record SignInRefusedError() : Error(SignInRefusedError.Text)
{
    public const string Text =
        "Sign-in failed. Check your email and password. After 5 failed attempts an account is locked for 15 minutes; with an authenticator app, a code typed with your password still signs you in.";
}

/// <summary>
/// The password was right, but it was a temporary one past its expiry. Only someone who knows the password sees
/// this, so saying why reveals nothing about the account to anyone else.
/// </summary>
public sealed record TemporaryPasswordExpiredError() : Error(TemporaryPasswordExpiredError.Text)
{
    public const string Text = "Your temporary password has expired. Ask an administrator to set a new one.";
}

/// <summary>
/// The authenticator or recovery code was not right (or was used before). Only someone who knew the password
/// gets this far, so it may say so.
/// </summary>
public sealed record SecondFactorRefusedError(string Message) : Error(Message)
{
    public const string Wrong = "That code is not right, or it was used already. Enter the current code from your authenticator app, or a recovery code.";
    public const string Locked = "Too many wrong codes. Wait 15 minutes, then sign in again.";
    public const string Expired = "This sign-in took too long. Sign in again.";
}

/// <summary>
/// What a successful sign-in (or password change) hands back: the new session. When
/// <see cref="SecondFactorRequired"/> is set, the session waits for the authenticator code and cannot be used yet.
/// <see cref="MustEnrolMfa"/>: an administrator past the grace period, held at MFA enrolment.
/// </summary>
public sealed record SignedIn(
    Guid UserId, Guid SessionId, string Email, Users.UserRole Role, bool MustChangePassword,
    bool MustEnrolMfa = false, bool SecondFactorRequired = false);

using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

/// <summary>A passkey ceremony was refused; the message says so in words for the person (the reason is in the audit trail).</summary>
public sealed record PasskeyRefusedError(string Message) : Error(Message)
{
    /// <summary>Before sign-in nothing more is said: it would tell a stranger about the account.</summary>
    public const string SignIn = "That passkey did not sign you in. Try again, or sign in with your email and password.";

    public const string Reauthentication = "That passkey did not confirm it's you. Try again, or enter your password.";

    public static PasskeyRefusedError Registration(PasskeyRefusal refusal) =>
        new($"The passkey was not added ({PasskeyRefusals.Describe(refusal)}). Try again.");
}

internal static class PasskeyErrors
{
    public static ForbiddenError NotConfigured => new(PasskeySettings.NotConfigured);

    public static NotFoundError NotFound => new("That passkey does not exist (any more).");
}

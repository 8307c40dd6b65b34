namespace UserManagement.Web.Components.Account;

/// <summary>Return URLs come from the query string: only paths on this site are followed.</summary>
public static class LocalUrl
{
    public const string Home = "/users";

    public static string OrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : Home;

    /// <summary>Where a new session goes first: a forced password change, MFA enrolment, or where it was going.</summary>
    public static string AfterSignIn(Application.Accounts.SignedIn signedIn, string next) =>
        signedIn.MustChangePassword ? $"account/change-password?returnUrl={Uri.EscapeDataString(next)}"
        : signedIn.MustEnrolMfa ? $"account/mfa?returnUrl={Uri.EscapeDataString(next)}"
        : next;
}

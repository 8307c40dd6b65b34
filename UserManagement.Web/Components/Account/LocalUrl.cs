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
}

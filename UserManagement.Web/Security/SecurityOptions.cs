namespace UserManagement.Web.Security;

/// <summary>Settings under "Security" in configuration.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// Attempts allowed in each window before HTTP 429: sign-in and code posts per client address, password
    /// changes per session.
    /// </summary>
    public int SignInPermitLimit { get; set; } = 10;

    public int SignInWindowSeconds { get; set; } = 60;

    /// <summary>Origins, besides the app's own, allowed to open the Blazor hub (for a reverse proxy on another host).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Reverse proxies (IP addresses) whose X-Forwarded-For and X-Forwarded-Proto are believed.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of reverse proxies (CIDR, such as 10.0.0.0/8) whose forwarded headers are believed.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

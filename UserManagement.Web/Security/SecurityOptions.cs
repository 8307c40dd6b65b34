namespace UserManagement.Web.Security;

/// <summary>Settings under "Security" in configuration.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Sign-in attempts allowed per IP address in each window before HTTP 429.</summary>
    public int SignInPermitLimit { get; set; } = 10;

    public int SignInWindowSeconds { get; set; } = 60;

    /// <summary>Origins, besides the app's own, allowed to open the Blazor hub (for a reverse proxy on another host).</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

namespace UserManagement.Web.Components.Shared;

/// <summary>Times as the screens show them: UTC, invariant culture.</summary>
public static class DisplayFormat
{
    /// <summary>A UTC timestamp as the screens show it.</summary>
    public static string Timestamp(DateTime utc) =>
        utc.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A UTC timestamp to the second, for the audit trail.</summary>
    public static string Moment(DateTime utc) =>
        utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The day of a UTC timestamp, for a grid cell (the full time is in the cell's tooltip).</summary>
    public static string Date(DateTime utc) =>
        utc.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How long ago, in the largest unit that fits: "just now", "5 min ago", "3 h ago", "2 days ago", else the day.</summary>
    public static string Ago(DateTime utc, DateTime utcNow)
    {
        var elapsed = utcNow - utc;
        return elapsed switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => $"{(int)elapsed.TotalMinutes} min ago",
            { TotalDays: < 1 } => $"{(int)elapsed.TotalHours} h ago",
            { TotalDays: < 2 } => "yesterday",
            { TotalDays: < 30 } => $"{(int)elapsed.TotalDays} days ago",
            _ => Date(utc),
        };
    }
}

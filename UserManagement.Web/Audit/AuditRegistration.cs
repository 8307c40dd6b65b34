using UserManagement.Application.Audit;
using UserManagement.Web.Csv;

namespace UserManagement.Web.Audit;

/// <summary>
/// The audit trail's host side: retention settings, the daily pruning, and the recording of exports and of refused
/// exports.
/// </summary>
public static class AuditRegistration
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuditOptions>(configuration.GetSection(AuditOptions.Section));
        services.AddSingleton<AuditRetention>();
        services.AddSingleton<DataExports>();
        services.AddExportRefusals();
        services.AddHostedService<AuditRetentionService>();
        return services;
    }
}

public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Entries older than this many days are removed once a day; unset (the default) keeps the trail forever.</summary>
    public int? RetentionDays { get; set; }
}

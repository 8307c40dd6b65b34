using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Bus;
using UserManagement.Infrastructure.PostgreSql;
using UserManagement.Web.Audit;
using UserManagement.Web.Live;
using UserManagement.Web.Operations;

namespace UserManagement.Web;

/// <summary>
/// Everything the application needs behind its UI: the database, the validators, session checks and the
/// mediator with its authorization and validation steps. Program.cs calls it, and so do the tests, so they run
/// the same pipeline. (Who the caller is, <see cref="ICurrentUser"/>, comes from the host: see AddAppSecurity.)
/// </summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddUserManagement(
        this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddInfrastructure(configuration, contentRoot);
        services.AddBus(configuration, contentRoot);
        services.AddValidatorsFromAssemblyContaining<CreateUserCommand>();
        services.AddSingleton<SessionValidator>();
        services.AddSingleton<AdministrativePower>();
        services.AddSingleton<AdministratorBootstrap>();
        services.AddMfa(configuration, contentRoot);
        services.AddPasskeys(configuration);
        services.AddAuditTrail(configuration);
        services.AddMessageTelemetry();
        services.AddLiveUpdates();

        // Telemetry around everything (it also turns a database fault into UnavailableError); then authorization
        // (no validation details for callers who may not send the message), then validation.
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            // Internal, so a project that references this one can generate a mediator of its own (the benchmarks do).
            options.GenerateTypesAsInternal = true;
            options.PipelineBehaviors = [typeof(TelemetryBehavior<,>), typeof(AuthorizationBehavior<,>), typeof(ValidationBehavior<,>)];
        });
        return services;
    }

    /// <summary>
    /// The MFA policy (Security:RequireMfaForAdministrators, Security:MfaGraceDays) and the protection of the
    /// authenticator secrets by the Data Protection key ring: in the database on PostgreSQL, so every node shares it
    /// (ADR 0031); on SQLite in Security:KeysDirectory when set.
    /// </summary>
    private static void AddMfa(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var section = configuration.GetSection("Security");
        services.AddSingleton(new MfaPolicy(
            section.GetValue("RequireMfaForAdministrators", MfaPolicy.Default.RequiredForAdministrators),
            TimeSpan.FromDays(section.GetValue("MfaGraceDays", MfaPolicy.Default.GracePeriod.TotalDays))));
        var keys = services.AddDataProtection();
        if (DatabaseOptions.ProviderOf(configuration) == DatabaseProvider.PostgreSQL)
        {
            keys.PersistKeysToAppDatabase();
        }
        else if (section["KeysDirectory"] is { Length: > 0 } directory)
        {
            keys.PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(directory, contentRoot)));
        }

        services.AddSingleton<ISecretProtector, Web.Security.DataProtectionSecretProtector>();
    }

    /// <summary>
    /// Passkeys (ADR 0027): the relying party (Security:PasskeyRelyingPartyId, Security:PasskeyOrigins,
    /// Security:PasskeyRelyingPartyName), the attestation asked for (Security:PasskeyAttestation, none by default) and
    /// Security:RequirePasskeyForAdministrators. Settings that cannot work stop the start.
    /// </summary>
    private static void AddPasskeys(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Security");
        var settings = PasskeySettings.Checked(
            section["PasskeyRelyingPartyId"], section.GetSection("PasskeyOrigins").Get<string[]>() ?? [], section["PasskeyRelyingPartyName"],
            section["PasskeyAttestation"], section.GetValue("RequirePasskeyForAdministrators", false));
        services.AddSingleton(settings);
        services.AddSingleton(new PasskeyCeremony(settings));
    }
}

using FluentValidation;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
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
        services.AddInfrastructure(configuration.GetConnectionString("Default"), contentRoot);
        services.AddValidatorsFromAssemblyContaining<CreateUserCommand>();
        services.AddSingleton<SessionValidator>();
        services.AddSingleton<AdministratorBootstrap>();
        services.AddMessageTelemetry();

        // Telemetry around everything (it also turns a database fault into UnavailableError); then authorization
        // (no validation details for callers who may not send the message), then validation.
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(TelemetryBehavior<,>), typeof(AuthorizationBehavior<,>), typeof(ValidationBehavior<,>)];
        });
        return services;
    }
}

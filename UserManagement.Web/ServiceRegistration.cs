using FluentValidation;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;

namespace UserManagement.Web;

/// <summary>
/// Everything the application needs behind its UI: the database, the validators and the mediator with its
/// one validation step. Program.cs calls it, and so do the tests, so they run the same pipeline.
/// </summary>
public static class ServiceRegistration
{
    public static IServiceCollection AddUserManagement(
        this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddInfrastructure(configuration.GetConnectionString("Default"), contentRoot);
        services.AddValidatorsFromAssemblyContaining<CreateUserCommand>();
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
        });
        return services;
    }
}

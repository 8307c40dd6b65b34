using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UserManagement.Application.Common;
using UserManagement.Infrastructure.AuditTrail;
using UserManagement.Infrastructure.Operations;
using UserManagement.Infrastructure.Seeding;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the app's database on the provider <c>Database:Provider</c> names (SQLite unless it says otherwise),
    /// at <c>ConnectionStrings:Default</c>; a relative SQLite file path is taken from <paramref name="contentRoot"/>.
    /// The rest of the app asks for <see cref="Microsoft.EntityFrameworkCore.IDbContextFactory{AppDbContext}"/>.
    /// </summary>
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        // The web app registers the clock first (the tests a fake one); a tool that only needs the database gets the system's.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<InProcessDomainEventPublisher>();
        services.AddSingleton<IDomainEventPublisher>(sp => sp.GetRequiredService<InProcessDomainEventPublisher>());
        services.AddSingleton<CommittedEvents>();
        services.AddSingleton<AuditTrailInterceptor>();
        services.AddSingleton<TransactionInterceptor>();
        services.AddSingleton<MigrationProgressLogger>();
        services.AddSingleton<PageAnchorCache>();
        DatabaseRegistration.For(configuration, contentRoot).AddDatabase(services);
        services.AddSingleton<IAppDbContextFactory, AppDbContextFactory>();
        services.AddSingleton<Application.Accounts.IPasswordHasher, Pbkdf2PasswordHasher>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<DemoUsers>();
        services.AddHealthChecks().AddDatabaseHealthCheck();
        return services;
    }

    private sealed class AppDbContextFactory(Microsoft.EntityFrameworkCore.IDbContextFactory<AppDbContext> pool) : IAppDbContextFactory
    {
        public async Task<IAppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await pool.CreateDbContextAsync(cancellationToken);
    }
}

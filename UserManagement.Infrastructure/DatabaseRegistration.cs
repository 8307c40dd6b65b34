using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Infrastructure.AuditTrail;
using UserManagement.Infrastructure.PostgreSql;
using UserManagement.Infrastructure.Sqlite;
using UserManagement.Infrastructure.Users;
using Wolverine;

namespace UserManagement.Infrastructure;

/// <summary>
/// What differs between database providers when the app is put together: each provider folder has one subclass,
/// its only entry point (Sqlite/SqliteRegistration.cs), chosen by <c>Database:Provider</c> (ADR 0029).
/// </summary>
internal abstract class DatabaseRegistration
{
    public const string ConnectionStringName = "Default";

    /// <summary>The registration of the provider <paramref name="configuration"/> chooses, on its <c>ConnectionStrings:Default</c>.</summary>
    public static DatabaseRegistration For(IConfiguration configuration, string contentRoot)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        var options = DatabaseOptions.From(configuration);
        return options.Provider switch
        {
            DatabaseProvider.PostgreSQL => new PostgreSqlRegistration(connectionString, options),
            _ => new SqliteRegistration(SqliteConnectionString.Resolve(connectionString, contentRoot)),
        };
    }

    /// <summary>The pooled factory of the provider's context and everything of the provider's that the app uses.</summary>
    public abstract void AddDatabase(IServiceCollection services);

    /// <summary>Where the message bus keeps its inbox, outbox and dead letters: the app's own database.</summary>
    public abstract void StoreBusMessages(WolverineOptions bus);

    /// <summary>
    /// Registers a pooled factory of <typeparamref name="TContext"/> with the app's interceptors, and
    /// <see cref="IDbContextFactory{AppDbContext}"/> over it: the rest of the app knows only <see cref="AppDbContext"/>.
    /// </summary>
    protected static void AddContext<TContext>(IServiceCollection services, Action<IServiceProvider, DbContextOptionsBuilder> useProvider)
        where TContext : AppDbContext
    {
        // Any other interceptor registered as a service joins too (the tests add one that fails on cue).
        services.AddPooledDbContextFactory<TContext>((provider, options) =>
        {
            useProvider(provider, options);
            options
                .AddInterceptors(
                    provider.GetRequiredService<AuditTrailInterceptor>(),
                    provider.GetRequiredService<TransactionInterceptor>(),
                    provider.GetRequiredService<MigrationProgressLogger>())
                .AddInterceptors(provider.GetServices<IInterceptor>());
        });
        services.AddSingleton<IDbContextFactory<AppDbContext>, ContextFactory<TContext>>();
    }

    private sealed class ContextFactory<TContext>(IDbContextFactory<TContext> pool) : IDbContextFactory<AppDbContext>
        where TContext : AppDbContext
    {
        public AppDbContext CreateDbContext() => pool.CreateDbContext();

        public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await pool.CreateDbContextAsync(cancellationToken);
    }
}

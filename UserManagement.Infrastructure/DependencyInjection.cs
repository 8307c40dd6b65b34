using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Common;
using UserManagement.Infrastructure.AuditTrail;
using UserManagement.Infrastructure.Operations;
using UserManagement.Infrastructure.Sqlite;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure;

public static class DependencyInjection
{
    public const string DefaultConnectionString = "Data Source=data/usermanagement.db";

    /// <summary>
    /// Registers a pooled factory of <see cref="AppDbContext"/> on the SQLite database that
    /// <paramref name="connectionString"/> names; a relative file path is taken from <paramref name="baseDirectory"/>.
    /// </summary>
    public static IServiceCollection AddInfrastructure(
        this IServiceCollection services, string? connectionString, string baseDirectory)
    {
        var resolved = ResolveSqliteConnectionString(connectionString, baseDirectory);
        services.AddSingleton<InProcessDomainEventPublisher>();
        services.AddSingleton<IDomainEventPublisher>(sp => sp.GetRequiredService<InProcessDomainEventPublisher>());
        services.AddSingleton<CommittedEvents>();
        services.AddSingleton<AuditTrailInterceptor>();
        services.AddSingleton<TransactionInterceptor>();
        services.AddSingleton<MigrationProgressLogger>();
        services.AddSingleton<PageAnchorCache>();
        services.AddSqliteDatabase();
        // Any other interceptor registered as a service joins too (the tests add one that fails on cue).
        services.AddPooledDbContextFactory<AppDbContext>((provider, options) => options
            .UseSqliteDatabase(resolved)
            .AddInterceptors(
                provider.GetRequiredService<AuditTrailInterceptor>(),
                provider.GetRequiredService<TransactionInterceptor>(),
                provider.GetRequiredService<MigrationProgressLogger>())
            .AddInterceptors(provider.GetServices<IInterceptor>()));
        services.AddSingleton<IAppDbContextFactory, AppDbContextFactory>();
        services.AddSingleton<Application.Accounts.IPasswordHasher, Pbkdf2PasswordHasher>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddHealthChecks().AddDatabaseHealthCheck();
        return services;
    }

    /// <summary>
    /// Makes the data file path absolute and creates its folder when missing. A file is opened read-write but
    /// never created by a connection: <see cref="DatabaseMigrator"/> creates it once, so a database file that
    /// goes missing while the app runs is reported as missing rather than silently replaced by an empty one.
    /// </summary>
    public static string ResolveSqliteConnectionString(string? connectionString, string baseDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(connectionString) ? DefaultConnectionString : connectionString);
        if (IsFile(builder))
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, baseDirectory);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
            if (builder.Mode == SqliteOpenMode.ReadWriteCreate)
            {
                builder.Mode = SqliteOpenMode.ReadWrite;
            }
        }

        return builder.ToString();
    }

    /// <summary>True when the connection string names a database file (not an in-memory database).</summary>
    public static bool IsFile(SqliteConnectionStringBuilder builder) =>
        builder.Mode != SqliteOpenMode.Memory
        && !string.IsNullOrEmpty(builder.DataSource)
        && !builder.DataSource.Equals(":memory:", StringComparison.OrdinalIgnoreCase);

    private sealed class AppDbContextFactory(IDbContextFactory<AppDbContext> pool) : IAppDbContextFactory
    {
        public async Task<IAppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await pool.CreateDbContextAsync(cancellationToken);
    }
}

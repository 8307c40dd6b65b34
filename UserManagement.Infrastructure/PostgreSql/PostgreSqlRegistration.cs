using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Operations;
using UserManagement.Infrastructure.PostgreSql.Users;
using UserManagement.Infrastructure.Seeding;
using Wolverine;
using Wolverine.Postgresql;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// The app's database on the PostgreSQL server of <paramref name="connectionString"/> (an Npgsql connection string);
/// a transaction waits at most <c>Database:LockTimeout</c> for the write lock (<see cref="WriteLock"/>), a start at most
/// <c>Database:StartupTimeout</c> for the server.
/// </summary>
internal sealed class PostgreSqlRegistration(string? connectionString, DatabaseOptions options) : DatabaseRegistration
{
    /// <summary>The bus's tables live in the app's database, in a schema of their own (lower case: Wolverine's rule).</summary>
    public const string BusSchema = "wolverine";

    public override void AddDatabase(IServiceCollection services)
    {
        // Built by a factory, so the container disposes it (and its pool) at shutdown.
        services.AddSingleton(_ => PostgreSqlDataSource.Build(connectionString));
        var writeLock = new WriteLock(options.LockTimeout);
        AddContext<PostgreSqlAppDbContext>(services, (provider, context) => context
            .UseNpgsql(provider.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(writeLock));
        services.AddSingleton<IDatabaseWritability, PostgreSqlWritability>();
        services.AddSingleton(options);
        services.AddSingleton<IDatabaseStartup, PostgreSqlDatabaseStartup>();
        services.AddSingleton<PostgreSqlUserListReadModel>();
        services.AddSingleton<PostgreSqlPageAnchors>();
        services.AddSingleton<IUserListReader, PostgreSqlUserListReader>();
        services.AddSingleton<IDemoUserWriter, PostgreSqlDemoUserWriter>();
    }

    /// <summary>On the same data source as EF Core: the outbox joins the change's transaction on its connection.</summary>
    public override void StoreBusMessages(WolverineOptions bus) =>
        bus.PersistMessagesWithPostgresqlUsingDataSourceFromContainer(provider => provider.GetRequiredService<NpgsqlDataSource>(), BusSchema);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Operations;
using UserManagement.Infrastructure.Seeding;
using UserManagement.Infrastructure.Sqlite.Users;
using Wolverine;
using Wolverine.Sqlite;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>The app's database on the SQLite file of <paramref name="connectionString"/> (resolved, see <see cref="SqliteConnectionString"/>).</summary>
internal sealed class SqliteRegistration(string connectionString) : DatabaseRegistration
{
    public override void AddDatabase(IServiceCollection services)
    {
        // The same pragmas on every connection.
        AddContext<SqliteAppDbContext>(services, (_, options) => options
            .UseSqlite(connectionString)
            .AddInterceptors(new SqliteConnectionSettings()));
        services.AddSingleton<SqliteUserListReadModel>();
        services.AddSingleton<IDatabaseWritability, SqliteWritability>();
        services.AddSingleton<IDatabaseStartup, SqliteDatabaseStartup>();
        services.AddSingleton<SqlitePageAnchors>();
        services.AddSingleton<IUserListReader, SqliteUserListReader>();
        services.AddSingleton<IDemoUserWriter>(new SqliteDemoUserWriter(connectionString));
    }

    /// <summary>The bus's tables sit beside the app's in the same file, so its outbox commits with the change.</summary>
    public override void StoreBusMessages(WolverineOptions bus) => bus.PersistMessagesWithSqlite(connectionString);
}

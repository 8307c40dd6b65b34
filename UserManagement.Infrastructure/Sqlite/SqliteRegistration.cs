using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Sqlite.Users;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>What the app's database on SQLite adds to the provider-neutral registrations of <see cref="DependencyInjection"/>.</summary>
internal static class SqliteRegistration
{
    /// <summary>The users list's read model and its reader on SQLite.</summary>
    public static IServiceCollection AddSqliteDatabase(this IServiceCollection services)
    {
        services.AddSingleton<SqliteUserListReadModel>();
        services.AddSingleton<SqlitePageAnchors>();
        services.AddSingleton<IUserListReader, SqliteUserListReader>();
        return services;
    }

    /// <summary>The context on the SQLite file of <paramref name="connectionString"/>, with the same pragmas on every connection.</summary>
    public static DbContextOptionsBuilder UseSqliteDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSettings());
}

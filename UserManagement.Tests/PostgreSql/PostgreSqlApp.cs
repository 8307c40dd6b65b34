using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.PostgreSql;

/// <summary>
/// A <see cref="TestApp"/> on a PostgreSQL clone of its own (<see cref="AppDatabases.PostgreSqlAsync"/>), or on the
/// given one (two apps on one database are two nodes). Until the
/// PostgreSQL users list reader is registered (issue 24, step 6), a stand-in that refuses takes its place so that the
/// container validates; the tests that use this never read the list.
/// </summary>
internal static class PostgreSqlApp
{
    public static async Task<TestApp> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null, bool bus = false,
        TestDatabase? database = null) =>
        await TestApp.StartAsync(
            bus,
            settings,
            configureServices: services =>
            {
                services.TryAddSingleton<IUserListReader, NoUserListReader>();
                configureServices?.Invoke(services);
            },
            database: database ?? await AppDatabases.PostgreSqlAsync());

    private sealed class NoUserListReader : IUserListReader
    {
        public Task<Page<UserListItem>> ReadPageAsync(UserListRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException("No users list reader on PostgreSQL yet.");
    }
}

using UserManagement.Infrastructure.PostgreSql.Users;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// PostgreSQL's part of <see cref="DatabaseMigrator"/>: the server keeps the database, so there is no file to create or
/// to lock before the migrations; after them it makes sure the users list's read model is whole
/// (<see cref="PostgreSqlUserListReadModel.EnsureAsync"/>), building it on the first start.
/// </summary>
public sealed class PostgreSqlDatabaseStartup(PostgreSqlUserListReadModel userList) : IDatabaseStartup
{
    public Task BeforeMigrationsAsync(AppDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AfterMigrationsAsync(AppDbContext db, CancellationToken cancellationToken) =>
        userList.EnsureAsync(db, cancellationToken);
}

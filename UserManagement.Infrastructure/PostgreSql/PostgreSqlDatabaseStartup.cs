namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// PostgreSQL's part of <see cref="DatabaseMigrator"/>: the server keeps the database, so there is no file to create or
/// to lock before the migrations.
/// </summary>
public sealed class PostgreSqlDatabaseStartup : IDatabaseStartup
{
    public Task BeforeMigrationsAsync(AppDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AfterMigrationsAsync(AppDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// PostgreSQL's part of <see cref="DatabaseMigrator"/>: the server keeps the database, so there is no file to create or
/// to lock before the migrations. On a first start it creates the empty migrations history table (and the database,
/// when the role may), as the migrations would a moment later: EF Core's PostgreSQL provider learns which migrations
/// ran by reading that table and catching "no such table", and logs that expected failure as an error, twice, which
/// an operator must not see on a normal first start. With the table there, nothing fails.
/// </summary>
public sealed class PostgreSqlDatabaseStartup : IDatabaseStartup
{
    public async Task BeforeMigrationsAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            await creator.CreateAsync(cancellationToken);
        }

        // Read first: on a read-only standby even CREATE TABLE IF NOT EXISTS is refused.
        var missing = await db.Database
            .SqlQueryRaw<bool>($"""SELECT to_regclass('"{HistoryRepository.DefaultTableName}"') IS NULL AS "Value" """)
            .SingleAsync(cancellationToken);
        if (missing)
        {
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        }
    }

    public Task AfterMigrationsAsync(AppDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>
/// Issue 11, fault 7: a database made by the first migration, holding 10,000 users, upgrades to the latest
/// migration on start and keeps every row and every value. The seed is written in the first migration's own
/// shape (which never changes); every later migration, today's and any added later, runs over it, and every
/// column of every table that existed before must come through unchanged.
/// </summary>
public sealed class MigrationUpgradeTests : IDisposable
{
    private const int UserCount = 10_000;
    private static readonly DateTime Epoch = new(2024, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Names that stress storage: several scripts, quotes, markup, emoji, and exactly the maximum length.</summary>
    private static string NameOf(int i) => (i % 7) switch
    {
        0 => $"Ada Lovelace {i}",
        1 => $"Zoë Åström-O'Brien {i}",
        2 => $"李小龍 {i} 👩‍💻",
        3 => $"مرحبا עברית {i}",
        4 => $"<b>Bold</b> & \"quoted\" {i}",
        5 => $"{i}".PadRight(UserRules.NameMaxLength, 'x'),
        _ => $"Robert'); DROP TABLE Users;-- {i}",
    };

    private static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Should_keep_every_row_and_value_when_a_first_migration_database_of_10000_users_is_upgraded()
    {
        var dataFile = _folder.File("first-migration.db");
        var firstMigration = await CreateAtFirstMigrationAsync(dataFile);
        await SeedUsersAsync(dataFile);
        var before = await SnapshotAsync(dataFile);
        before["Users"].Count.ShouldBe(UserCount);

        await using (var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddInfrastructure(
                new ConfigurationBuilder().AddInMemoryCollection([new("ConnectionStrings:Default", $"Data Source={dataFile}")]).Build(),
                _folder.Path)
            .BuildServiceProvider())
        {
            // What the app does on start.
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

            await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
            (await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
            (await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).First().ShouldBe(firstMigration);

            // The current model reads every upgraded row back to the values the first version stored.
            var users = await db.Users.AsNoTracking().OrderBy(u => u.CreatedAt).ToListAsync(TestContext.Current.CancellationToken);
            users.Count.ShouldBe(UserCount);
            for (var i = 0; i < UserCount; i++)
            {
                var user = users[i];
                user.Name.ShouldBe(NameOf(i));
                user.NormalizedName.ShouldBe(NameOf(i).ToUpperInvariant());
                user.Email.ShouldBe($"user{i}@example.com");
                user.NormalizedEmail.ShouldBe($"USER{i}@EXAMPLE.COM");
                user.Role.ShouldBe(i % 10 == 0 ? UserRole.Administrator : UserRole.Member);
                user.Status.ShouldBe(i % 3 == 0 ? UserStatus.Disabled : UserStatus.Active);
                user.CreatedAt.ShouldBe(Epoch.AddSeconds(i));
                user.UpdatedAt.ShouldBe(Epoch.AddSeconds(i).AddTicks(1234567));
                user.Version.ShouldBe(i + 1);
            }
        }

        SqliteConnection.ClearAllPools();
        // Only the tables the first version had: later ones (FTS indexes, WITHOUT ROWID tables) are not the question.
        var after = await SnapshotAsync(dataFile, [.. before.Keys]);
        foreach (var (table, rows) in before)
        {
            after.ShouldContainKey(table, $"the upgrade dropped table {table}");
            after[table].Count.ShouldBe(rows.Count, $"rows of {table}");
            for (var r = 0; r < rows.Count; r++)
            {
                foreach (var (column, value) in rows[r])
                {
                    after[table][r].ShouldContainKey(column, $"the upgrade dropped {table}.{column}");
                    after[table][r][column].ShouldBe(value, $"{table} row {r}, column {column}");
                }
            }
        }
    }

    private static async Task<string> CreateAtFirstMigrationAsync(string dataFile)
    {
        await using var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite($"Data Source={dataFile}").Options);
        var first = db.Database.GetMigrations().First();
        await db.GetService<IMigrator>().MigrateAsync(first, TestContext.Current.CancellationToken);
        return first;
    }

    /// <summary>10,000 users in the columns the first migration created, as the first version of the app stored them.</summary>
    private static async Task SeedUsersAsync(string dataFile)
    {
        await using var connection = new SqliteConnection($"Data Source={dataFile};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO Users (Id, Name, NormalizedName, Email, NormalizedEmail, Role, Status, CreatedAt, UpdatedAt, Version)
            VALUES ($id, $name, $normalizedName, $email, $normalizedEmail, $role, $status, $createdAt, $updatedAt, $version)
            """;
        string[] names = ["$id", "$name", "$normalizedName", "$email", "$normalizedEmail", "$role", "$status", "$createdAt", "$updatedAt", "$version"];
        var parameters = names.Select(n => insert.Parameters.Add(n, n == "$version" ? SqliteType.Integer : SqliteType.Text)).ToArray();
        for (var i = 0; i < UserCount; i++)
        {
            object[] values =
            [
                Guid.CreateVersion7(new DateTimeOffset(Epoch.AddSeconds(i))).ToString().ToUpperInvariant(),
                NameOf(i), NameOf(i).ToUpperInvariant(),
                $"user{i}@example.com", $"USER{i}@EXAMPLE.COM",
                i % 10 == 0 ? "Administrator" : "Member",
                i % 3 == 0 ? "Disabled" : "Active",
                Timestamp(Epoch.AddSeconds(i)), Timestamp(Epoch.AddSeconds(i).AddTicks(1234567)),
                (long)i + 1,
            ];
            for (var p = 0; p < parameters.Length; p++)
            {
                parameters[p].Value = values[p];
            }

            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await transaction.CommitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Every row of every table (but the migrations history), or of <paramref name="only"/> those tables, in rowid
    /// order, as column -> value.
    /// </summary>
    private static async Task<Dictionary<string, List<Dictionary<string, object?>>>> SnapshotAsync(
        string dataFile, IReadOnlyCollection<string>? only = null)
    {
        await using var connection = new SqliteConnection($"Data Source={dataFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsHistory'";
            await using var reader = await list.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                if (only is null || only.Contains(reader.GetString(0)))
                {
                    tables.Add(reader.GetString(0));
                }
            }
        }

        var snapshot = new Dictionary<string, List<Dictionary<string, object?>>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            await using var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(
                    reader.GetName, c => reader.IsDBNull(c) ? null : reader.GetValue(c), StringComparer.Ordinal));
            }

            snapshot[table] = rows;
        }

        return snapshot;
    }
}

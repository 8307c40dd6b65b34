using Microsoft.EntityFrameworkCore;
using UserManagement.Infrastructure.PostgreSql;
using UserManagement.Infrastructure.Sqlite;

namespace UserManagement.Tests.Persistence;

/// <summary>
/// The two providers' migration sets move together (ADR 0029): after PostgreSQL's first migration, which made today's
/// whole schema, every model change is one migration of the same name in each set (<c>scripts/add-migration.sh</c>).
/// </summary>
public sealed class MigrationParityTests
{
    [Fact]
    public void Should_have_the_same_migrations_in_both_sets_since_postgresqls_first_one()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgreSql = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        var postgreSqlIds = postgreSql.Database.GetMigrations().ToList();
        var first = postgreSqlIds[0];

        var sqliteSince = sqlite.Database.GetMigrations().Where(id => string.CompareOrdinal(id, first) > 0).Select(Name);

        first.ShouldEndWith("_InitialCreate");
        postgreSqlIds.Skip(1).Select(Name).ShouldBe(sqliteSince, "a model change since needs its migration in both sets");
    }

    [Fact]
    public void Should_have_no_model_change_without_its_migration_in_either_set()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgreSql = new PostgreSqlDesignTimeFactory().CreateDbContext([]);

        sqlite.Database.HasPendingModelChanges().ShouldBeFalse("run scripts/add-migration.sh NAME");
        postgreSql.Database.HasPendingModelChanges().ShouldBeFalse("run scripts/add-migration.sh NAME");
    }

    // A migration id is "<timestamp>_<Name>".
    private static string Name(string id) => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..];
}

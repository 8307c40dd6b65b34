using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.Sqlite.Users;

/// <summary>
/// Makes sure the users list's read model is there and kept in step. The migration AddUserReadModel builds
/// it; a later migration that rebuilds the Users table (how EF Core alters a column on SQLite) silently drops
/// the table's triggers, and then the read model would fall behind. At start-up, after the migrations, this
/// checks that every trigger exists and, if one is missing, builds the whole read model again.
/// </summary>
public sealed partial class SqliteUserListReadModel(ILogger<SqliteUserListReadModel> logger)
{
    private static readonly string CountObjects =
        "SELECT count(*) AS Value FROM sqlite_master WHERE name IN ("
        + string.Join(", ", SqliteUserListSchema.Objects.Select(t => $"'{t}'")) + ")";

    /// <summary>Builds the read model inside one migration, one logged step per SQL command.</summary>
    public static void Build(Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder migrationBuilder) =>
        RunSteps(migrationBuilder, SqliteUserListSchema.BuildSteps);

    /// <summary>Adds the change counter and the trigram counts to a read model built before them (migration PageAnchorsAndTrigramCounts).</summary>
    public static void AddChangeCounterAndTrigramCounts(Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder migrationBuilder) =>
        RunSteps(migrationBuilder, SqliteUserListSchema.ChangeCounterSteps);

    /// <summary>Writes the triggers again as this version has them (migration ListOrderChangesOnly).</summary>
    public static void ReplaceTriggers(Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder migrationBuilder) =>
        RunSteps(migrationBuilder, SqliteUserListSchema.TriggerSteps);

    public static void Drop(Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql(SqliteUserListSchema.DropSql + $"DROP TABLE IF EXISTS {SqliteUserListSchema.ChangesTable};");

    public async Task EnsureAsync(DbContext db, CancellationToken cancellationToken = default)
    {
        var found = await db.Database.SqlQueryRaw<int>(CountObjects).SingleAsync(cancellationToken);
        if (found == SqliteUserListSchema.Objects.Count)
        {
            return;
        }

        LogRebuilding(found, SqliteUserListSchema.Objects.Count);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var steps = SqliteUserListSchema.BuildSteps;
        for (var i = 0; i < steps.Count; i++)
        {
            await db.Database.ExecuteSqlRawAsync(MigrationProgressLogger.Step(i + 1, steps.Count, steps[i].Name, steps[i].Sql), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static void RunSteps(Microsoft.EntityFrameworkCore.Migrations.MigrationBuilder migrationBuilder, IReadOnlyList<(string Name, string Sql)> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            migrationBuilder.Sql(MigrationProgressLogger.Step(i + 1, steps.Count, steps[i].Name, steps[i].Sql));
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "The users read model is missing triggers or tables ({Found} of {Expected} found), dropped by a rebuild of the Users table or older than this version; building it again")]
    private partial void LogRebuilding(int found, int expected);
}

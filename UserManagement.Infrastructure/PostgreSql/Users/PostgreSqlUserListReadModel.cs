using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Infrastructure.Users;

namespace UserManagement.Infrastructure.PostgreSql.Users;

/// <summary>
/// Makes sure the users list's read model is there and kept in step on PostgreSQL: at start-up, after the migrations,
/// it looks for every table and index and every trigger (pg_trgm comes with the migrations, and an index of the read
/// model cannot outlive it), and when one is missing (the first start on a new
/// database, or a part dropped by hand) builds the whole read model from Users again, in one transaction.
/// </summary>
public sealed partial class PostgreSqlUserListReadModel(ILogger<PostgreSqlUserListReadModel> logger)
{
    /// <summary>Everything the check looks for: the triggers, the tables and indexes.</summary>
    public static int Expected => PostgreSqlUserListSchema.UserTriggers.Count + PostgreSqlUserListSchema.Relations.Count;

    private static readonly string CountObjects = $"""
        SELECT ((SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass('"Users"') AND NOT tgisinternal
                AND tgname IN ({string.Join(", ", PostgreSqlUserListSchema.UserTriggers.Select(t => $"'{t}'"))}))
            + (SELECT count(*) FROM unnest(ARRAY[{string.Join(", ", PostgreSqlUserListSchema.Relations.Select(r => $"'{r.Replace("'", "''", StringComparison.Ordinal)}'"))}]) AS r (name)
                WHERE to_regclass(r.name) IS NOT NULL))::integer AS "Value"
        """;

    public async Task EnsureAsync(DbContext db, CancellationToken cancellationToken = default)
    {
        var found = await db.Database.SqlQueryRaw<int>(CountObjects).SingleAsync(cancellationToken);
        if (found == Expected)
        {
            return;
        }

        if (found == 0)
        {
            LogBuilding();
        }
        else
        {
            LogRebuilding(found, Expected);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var steps = PostgreSqlUserListSchema.BuildSteps;
        for (var i = 0; i < steps.Count; i++)
        {
            await db.Database.ExecuteSqlRawAsync(MigrationProgressLogger.Step(i + 1, steps.Count, steps[i].Name, steps[i].Sql), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Building the users read model on a new database")]
    private partial void LogBuilding();

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning,
        Message = "The users read model is missing triggers, tables or indexes ({Found} of {Expected} found); building it again")]
    private partial void LogRebuilding(int found, int expected);
}

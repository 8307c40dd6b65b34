using Npgsql;
using NpgsqlTypes;
using UserManagement.Infrastructure.PostgreSql.Users;
using UserManagement.Infrastructure.Seeding;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// Writes demo users into PostgreSQL with one binary COPY in one transaction, on a connection of the app's data source;
/// the users list's read model is taken down first and built at the end (bulk-building an index is far faster than
/// growing it row by row), then the planner's statistics are refreshed.
/// </summary>
public sealed class PostgreSqlDemoUserWriter(NpgsqlDataSource dataSource) : IDemoUserWriter
{
    private const string Copy = """
        COPY "Users" ("Id", "Name", "NormalizedName", "Email", "NormalizedEmail", "Role", "Status", "CreatedAt", "UpdatedAt",
            "MustChangePassword", "PasswordIsRandom", "FailedSignInCount", "FailedMfaCount", "MfaLastUsedStep", "LastSignInAt",
            "SecurityStamp", "Version")
        FROM STDIN (FORMAT BINARY)
        """;

    public async Task<long> CountUsersAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""SELECT count(*) FROM "Users" """);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task WriteAsync(IReadOnlyList<DemoUser> users, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "SET LOCAL maintenance_work_mem = '256MB'", cancellationToken);
        await ExecuteAsync(connection, PostgreSqlUserListSchema.DropSql, cancellationToken);
        await CopyAsync(connection, users, progress, cancellationToken);

        var steps = PostgreSqlUserListSchema.BuildSteps;
        for (var i = 0; i < steps.Count; i++)
        {
            progress?.Report($"Building the list's read model, step {i + 1}/{steps.Count}: {steps[i].Name}");
            await ExecuteAsync(connection, steps[i].Sql, cancellationToken);
        }

        progress?.Report("Committing");
        await transaction.CommitAsync(cancellationToken);
        progress?.Report("Refreshing the planner's statistics");
        await ExecuteAsync(connection, "ANALYZE", cancellationToken);
    }

    private static async Task CopyAsync(
        NpgsqlConnection connection, IReadOnlyList<DemoUser> users, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var report = new SeedProgress(users.Count, progress);
        await using var copy = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
        for (var i = 0; i < users.Count; i++)
        {
            var row = users[i];
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(row.Name, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(row.NameKey, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(row.Email, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(row.EmailKey, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(row.Role.ToString(), NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(row.Status.ToString(), NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(Utc(row.CreatedAt), NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(Utc(row.UpdatedAt), NpgsqlDbType.TimestampTz, cancellationToken);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken);
            await copy.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(0, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(0L, NpgsqlDbType.Bigint, cancellationToken);
            if (row.LastSignInAt is { } signedIn)
            {
                await copy.WriteAsync(Utc(signedIn), NpgsqlDbType.TimestampTz, cancellationToken);
            }
            else
            {
                await copy.WriteNullAsync(cancellationToken);
            }

            await copy.WriteAsync(row.SecurityStamp, NpgsqlDbType.Varchar, cancellationToken);
            await copy.WriteAsync(row.Version, NpgsqlDbType.Bigint, cancellationToken);
            report.Written(i + 1);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    // timestamptz takes only UTC times; the generated ones are UTC already, of Kind Unspecified or Utc.
    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

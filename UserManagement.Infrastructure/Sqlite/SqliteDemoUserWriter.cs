using Microsoft.Data.Sqlite;
using UserManagement.Infrastructure.Seeding;
using UserManagement.Infrastructure.Sqlite.Users;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>
/// Writes demo users into the SQLite file with one prepared INSERT on a connection of its own, outside the pool, with
/// a big page cache; the read model is dropped first and built at the end with the migration's own steps (bulk-building
/// an index is far faster than growing it row by row).
/// </summary>
public sealed class SqliteDemoUserWriter(string connectionString) : IDemoUserWriter
{
    public async Task<long> CountUsersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM Users";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task WriteAsync(IReadOnlyList<DemoUser> users, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;", cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await ExecuteAsync(connection, SqliteUserListSchema.DropSql, cancellationToken);
        await InsertAsync(connection, users, progress, cancellationToken);

        var steps = SqliteUserListSchema.BuildSteps;
        for (var i = 0; i < steps.Count; i++)
        {
            progress?.Report($"Building the list's read model, step {i + 1}/{steps.Count}: {steps[i].Name}");
            await ExecuteAsync(connection, steps[i].Sql, cancellationToken);
        }

        progress?.Report("Committing");
        await transaction.CommitAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA optimize;", cancellationToken);
    }

    private static async Task InsertAsync(
        SqliteConnection connection, IReadOnlyList<DemoUser> users, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO Users (Id, Name, NormalizedName, Email, NormalizedEmail, Role, Status, CreatedAt, UpdatedAt,
                PasswordHash, MustChangePassword, TemporaryPasswordExpiresAt, FailedSignInCount, LockedUntil, LastSignInAt,
                SecurityStamp, Version)
            VALUES ($id, $name, $nameKey, $email, $emailKey, $role, $status, $createdAt, $updatedAt,
                NULL, 0, NULL, 0, NULL, $lastSignInAt, $stamp, $version)
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "$id", "$name", "$nameKey", "$email", "$emailKey", "$role", "$status", "$createdAt", "$updatedAt", "$lastSignInAt", "$stamp", "$version" })
        {
            p[name] = insert.Parameters.Add(name, SqliteType.Text);
        }

        p["$version"].SqliteType = SqliteType.Integer;
        await insert.PrepareAsync(cancellationToken);

        var progressReport = new SeedProgress(users.Count, progress);
        for (var i = 0; i < users.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = users[i];
            // EF Core keeps a Guid as upper-case text on SQLite.
            p["$id"].Value = row.Id.ToString().ToUpperInvariant();
            p["$name"].Value = row.Name;
            p["$nameKey"].Value = row.NameKey;
            p["$email"].Value = row.Email;
            p["$emailKey"].Value = row.EmailKey;
            p["$role"].Value = row.Role.ToString();
            p["$status"].Value = row.Status.ToString();
            p["$createdAt"].Value = row.CreatedAt;
            p["$updatedAt"].Value = row.UpdatedAt;
            p["$lastSignInAt"].Value = row.LastSignInAt is { } at ? at : DBNull.Value;
            p["$stamp"].Value = row.SecurityStamp;
            p["$version"].Value = row.Version;
            insert.ExecuteNonQuery();
            progressReport.Written(i + 1);
        }
    }

    // Outside the pool: the seed's pragmas stay with it.
    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection,
            $"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = {SqliteConnectionSettings.BusyTimeoutMilliseconds};",
            cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

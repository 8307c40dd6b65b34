using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.Support;

/// <summary>
/// Writes users with plain SQL in one transaction, as a bulk import or a script would: fast enough for
/// thousands of rows, and a writer that never goes near EF Core, so the read model's triggers must cope.
/// </summary>
public static class UserRows
{
    /// <summary>One user; what it leaves out is made up (an id from its creation time, updated when created, version 1).</summary>
    public sealed record Spec(
        string Name, string Email, UserRole Role = UserRole.Member, UserStatus Status = UserStatus.Active,
        DateTime? CreatedAt = null, DateTime? LastSignInAt = null, Guid? Id = null, DateTime? UpdatedAt = null,
        DateTime? LockedUntil = null, long Version = 1);

    public static async Task InsertAsync(TestDatabase database, IEnumerable<Spec> users, DateTime now)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // The columns SQLite's later migrations added have defaults (a test may write to a schema from before them);
        // PostgreSQL's first migration made them without.
        var (laterColumns, laterValues) = database.Provider == DatabaseProvider.Sqlite
            ? (string.Empty, string.Empty)
            : (""", "PasswordIsRandom", "FailedMfaCount", "MfaLastUsedStep" """, ", @false, 0, 0");
        await using var insert = TestDatabase.Command(
            connection,
            $"""
            INSERT INTO "Users" ("Id", "Name", "NormalizedName", "Email", "NormalizedEmail", "Role", "Status", "CreatedAt",
                "UpdatedAt", "MustChangePassword", "FailedSignInCount", "LastSignInAt", "LockedUntil", "SecurityStamp", "Version"{laterColumns})
            VALUES (@id, @name, @nameKey, @email, @emailKey, @role, @status, @createdAt, @updatedAt, @false, 0, @lastSignInAt,
                @lockedUntil, 'stamp', @version{laterValues})
            """,
            ("id", null), ("name", null), ("nameKey", null), ("email", null), ("emailKey", null), ("role", null),
            ("status", null), ("createdAt", null), ("updatedAt", null), ("false", false), ("lastSignInAt", null),
            ("lockedUntil", null), ("version", null));
        insert.Transaction = transaction;
        foreach (var user in users)
        {
            var createdAt = Utc(user.CreatedAt ?? now);
            var id = user.Id ?? Guid.CreateVersion7(new DateTimeOffset(createdAt));

            // EF Core keeps a Guid as upper-case text on SQLite and as a uuid on PostgreSQL.
            insert.Parameters["id"].Value = database.Provider == DatabaseProvider.Sqlite ? id.ToString().ToUpperInvariant() : id;
            insert.Parameters["name"].Value = user.Name;
            insert.Parameters["nameKey"].Value = UserRules.NameKey(user.Name);
            insert.Parameters["email"].Value = user.Email;
            insert.Parameters["emailKey"].Value = UserRules.EmailKey(user.Email);
            insert.Parameters["role"].Value = user.Role.ToString();
            insert.Parameters["status"].Value = user.Status.ToString();
            insert.Parameters["createdAt"].Value = createdAt;
            insert.Parameters["updatedAt"].Value = user.UpdatedAt is { } updated ? Utc(updated) : createdAt;
            insert.Parameters["lastSignInAt"].Value = user.LastSignInAt is { } signedIn ? Utc(signedIn) : DBNull.Value;
            insert.Parameters["lockedUntil"].Value = user.LockedUntil is { } locked ? Utc(locked) : DBNull.Value;
            insert.Parameters["version"].Value = user.Version;
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    // PostgreSQL's timestamptz takes UTC times only; SQLite stores the text either way.
    private static DateTime Utc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);
}

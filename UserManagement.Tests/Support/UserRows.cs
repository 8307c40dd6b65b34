using Microsoft.Data.Sqlite;
using UserManagement.Application.Users;

namespace UserManagement.Tests.Support;

/// <summary>
/// Writes users with plain SQL in one transaction, as a bulk import or a script would: fast enough for
/// thousands of rows, and a writer that never goes near EF Core, so the read model's triggers must cope.
/// </summary>
public static class UserRows
{
    public sealed record Spec(
        string Name, string Email, UserRole Role = UserRole.Member, UserStatus Status = UserStatus.Active,
        DateTime? CreatedAt = null, DateTime? LastSignInAt = null);

    public static async Task InsertAsync(string connectionString, IEnumerable<Spec> users, DateTime now)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO Users (Id, Name, NormalizedName, Email, NormalizedEmail, Role, Status, CreatedAt, UpdatedAt,
                MustChangePassword, FailedSignInCount, LastSignInAt, SecurityStamp, Version)
            VALUES ($id, $name, $nameKey, $email, $emailKey, $role, $status, $createdAt, $createdAt, 0, 0, $lastSignInAt, 'stamp', 1)
            """;
        foreach (var user in users)
        {
            var createdAt = user.CreatedAt ?? now;
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$id", Guid.CreateVersion7(new DateTimeOffset(createdAt)).ToString().ToUpperInvariant());
            insert.Parameters.AddWithValue("$name", user.Name);
            insert.Parameters.AddWithValue("$nameKey", UserRules.NameKey(user.Name));
            insert.Parameters.AddWithValue("$email", user.Email);
            insert.Parameters.AddWithValue("$emailKey", UserRules.EmailKey(user.Email));
            insert.Parameters.AddWithValue("$role", user.Role.ToString());
            insert.Parameters.AddWithValue("$status", user.Status.ToString());
            insert.Parameters.AddWithValue("$createdAt", createdAt);
            insert.Parameters.AddWithValue("$lastSignInAt", (object?)user.LastSignInAt ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}

namespace UserManagement.Infrastructure.Users;

/// <summary>
/// The names every provider's read model gives the users list's columns and indexes
/// (Sqlite/Users/SqliteUserListSchema.cs, PostgreSql/Users/PostgreSqlUserListSchema.cs): the same on both, so the
/// plan tests and the docs name one index whatever the database.
/// </summary>
public static class UserListIndexes
{
    /// <summary>The index that serves filtering by role and status, in name order.</summary>
    public const string GroupIndex = "IX_UserListEntries_role_status_name";

    /// <summary>The stored column each sort key orders by (ties broken by Id), and so the index it walks.</summary>
    public static IReadOnlyDictionary<string, string> SortColumns { get; } = new Dictionary<string, string>
    {
        ["name"] = "NameKey",
        ["email"] = "EmailKey",
        ["role"] = "Role",
        ["status"] = "Status",
        ["createdAt"] = "CreatedAt",
        ["updatedAt"] = "UpdatedAt",
        ["lastSignInAt"] = "LastSignInKey",
    };

    public static string SortIndex(string sortKey) => $"IX_UserListEntries_{sortKey}";
}

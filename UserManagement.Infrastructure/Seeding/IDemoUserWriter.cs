using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Seeding;

/// <summary>One demo user as the seed writes it: a row of "Users" with no password.</summary>
public sealed record DemoUser(
    Guid Id, string Name, string Email, UserRole Role, UserStatus Status, DateTime CreatedAt, DateTime UpdatedAt,
    DateTime? LastSignInAt, long Version, string SecurityStamp)
{
    public string NameKey => UserRules.NameKey(Name);

    public string EmailKey => UserRules.EmailKey(Email);
}

/// <summary>
/// How a provider writes many users at once (Sqlite/SqliteDemoUserWriter.cs, PostgreSql/PostgreSqlDemoUserWriter.cs):
/// all or nothing, the users list's read model taken down first and built once at the end.
/// </summary>
public interface IDemoUserWriter
{
    Task<long> CountUsersAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="users"/> (in id order) in one transaction, reporting progress.</summary>
    Task WriteAsync(IReadOnlyList<DemoUser> users, IProgress<string>? progress, CancellationToken cancellationToken);
}

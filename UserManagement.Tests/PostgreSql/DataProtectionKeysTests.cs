using UserManagement.Application.Accounts;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.PostgreSql;

/// <summary>
/// On PostgreSQL the Data Protection key ring lives in the database (ADR 0031, <c>PostgreSql/DatabaseKeyRepository.cs</c>):
/// two nodes of one database read each other's protected secrets and cookies, with no key folder between them.
/// </summary>
public sealed class DataProtectionKeysTests
{
    [Fact]
    public async Task Should_read_on_one_node_what_another_node_protected_when_they_share_the_database()
    {
        var database = await AppDatabases.PostgreSqlAsync();
        await using var first = await TestApp.StartAsync(database: database);
        await using var second = await TestApp.StartAsync(database: database);

        var secret = first.Get<ISecretProtector>().Protect("JBSWY3DPEHPK3PXP");

        second.Get<ISecretProtector>().Unprotect(secret).ShouldBe("JBSWY3DPEHPK3PXP");
        Directory.Exists(Path.Combine(first.Directory, "keys")).ShouldBeFalse("the key ring is in the database, not in Security:KeysDirectory");
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var keys = TestDatabase.Command(connection, """SELECT count(*) FROM "DataProtectionKeys" """);
        ((long)(await keys.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).ShouldBe(1);
    }
}

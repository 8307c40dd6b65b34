using Microsoft.Data.Sqlite;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;
using UserManagement.Web.Verbs;

namespace UserManagement.Tests.Web;

/// <summary>The <c>seed</c> verb: realistic users, unique emails, and no surprise on a database in use.</summary>
public sealed class SeedVerbTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Database => _folder.File("seed.db");

    public void Dispose() => _folder.Dispose();

    private static async Task<(int Exit, string Output)> Seed(params string[] args)
    {
        var output = new StringWriter();
        var exit = await SeedVerb.RunAsync(args, output);
        return (exit, output.ToString());
    }

    private async Task<List<string>> Column(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Database}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetValue(0).ToString()!);
        }

        return values;
    }

    [Fact]
    public async Task Should_fill_an_empty_database_with_varied_users_and_refuse_one_that_has_users_unless_told_to_append()
    {
        var first = await Seed("--users", "3000", "--db", Database);
        var again = await Seed("--users", "3000", "--db", Database);
        var appended = await Seed("--users", "1_000", "--db", Database, "--append");

        first.Exit.ShouldBe(0, first.Output);
        first.Output.ShouldContain("Users: 3,000 of 3,000 (100%)");
        first.Output.ShouldContain("Seeded 3,000 users in");
        again.Exit.ShouldBe(1);
        again.Output.ShouldContain("The database already has 3,000 users; nothing was added. Pass --append");
        appended.Exit.ShouldBe(0, appended.Output);
        (await Column("SELECT count(*) FROM Users")).ShouldBe(["4000"]);
        (await Column("SELECT count(DISTINCT NormalizedEmail) FROM Users")).ShouldBe(["4000"]);
        (await Column("SELECT sum(Count) FROM UserListCounts")).ShouldBe(["4000"], "the read model was built for every user");
        (await Column("SELECT DISTINCT Role FROM Users ORDER BY Role")).ShouldBe(["Administrator", "Member"]);
        (await Column("SELECT DISTINCT Status FROM Users ORDER BY Status")).ShouldBe(["Active", "Disabled"]);
        (await Column("SELECT count(DISTINCT Name) FROM Users")).Single().ShouldSatisfyAllConditions(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(1000));
        (await Column("SELECT Name FROM Users")).ShouldContain(name => name.Any(c => c > '\u0400'), "names in more than one script");
        var created = await Column("SELECT min(CreatedAt) || ' ' || max(CreatedAt) FROM Users");
        created.Single().ShouldNotBeNullOrEmpty();
        (await Column("SELECT Email FROM Users")).ShouldAllBe(email => UserRules.IsValidEmail(email));
    }

    [Fact]
    public async Task Should_fill_a_postgresql_database_and_build_its_read_model_when_the_configuration_names_one()
    {
        await using var database = await AppDatabases.PostgreSqlAsync();
        string[] configuration = ["--Database:Provider=PostgreSQL", $"--ConnectionStrings:Default={database.ConnectionString}"];

        var first = await Seed(["--users", "3000", .. configuration]);
        var again = await Seed(["--users", "10", .. configuration]);

        first.Exit.ShouldBe(0, first.Output);
        first.Output.ShouldContain("Users: 3,000 of 3,000 (100%)");
        again.Exit.ShouldBe(1, again.Output);
        again.Output.ShouldContain("The database already has 3,000 users");
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        (await ScalarAsync(connection, """SELECT count(DISTINCT "NormalizedEmail") FROM "Users" """)).ShouldBe(3000);
        (await ScalarAsync(connection, """SELECT count(*) FROM "UserListEntries" """)).ShouldBe(3000, "the read model was built for every user");
        (await ScalarAsync(connection, """SELECT sum("Count") FROM "UserListCounts" """)).ShouldBe(3000);
        (await ScalarAsync(connection, """SELECT count(*) FROM "Users" WHERE "Role" = 'Administrator'""")).ShouldBeGreaterThan(0);
    }

    private static async Task<long> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = TestDatabase.Command(connection, sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("--users", "none")]
    [InlineData("--users", "0")]
    [InlineData("--frobnicate")]
    public async Task Should_explain_its_usage_for_arguments_it_does_not_understand(params string[] args)
    {
        var (exit, output) = await Seed(args);

        exit.ShouldBe(2);
        output.ShouldContain(SeedVerb.Usage);
    }
}

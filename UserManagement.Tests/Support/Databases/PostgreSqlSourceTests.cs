namespace UserManagement.Tests.Support.Databases;

/// <summary>Where the PostgreSQL tests get their server, and what happens when there is none.</summary>
public sealed class PostgreSqlSourceTests
{
    [Fact]
    public void Should_use_the_named_server_when_the_variable_is_set()
    {
        var source = PostgreSqlSource.Find(Variables((PostgreSqlSource.ConnectionStringVariable, "Host=db;Username=postgres")));

        source.ShouldBe(new PostgreSqlSource.Existing("Host=db;Username=postgres"));
    }

    [Fact]
    public void Should_start_a_server_from_the_bin_folder_when_it_has_initdb_and_pg_ctl()
    {
        using var folder = new TempFolder("postgres-bin");
        File.WriteAllText(folder.File("initdb"), string.Empty);
        File.WriteAllText(folder.File("pg_ctl"), string.Empty);

        var source = PostgreSqlSource.Find(Variables((PostgreSqlSource.BinFolderVariable, folder.Path)));

        source.ShouldBe(new PostgreSqlSource.Binaries(folder.Path));
    }

    [Fact]
    public void Should_skip_with_what_to_install_when_there_is_no_postgresql_outside_ci()
    {
        using var empty = new TempFolder("postgres-bin");
        var source = NothingIn(empty);

        var skipped = Should.Throw<Exception>(() => source.Require(inCi: false));

        skipped.Message.ShouldStartWith("$XunitDynamicSkip$");
        skipped.Message.ShouldContain("apt-get install -y postgresql-15");
        skipped.Message.ShouldContain(PostgreSqlSource.ConnectionStringVariable);
    }

    [Fact]
    public void Should_fail_when_there_is_no_postgresql_in_ci()
    {
        using var empty = new TempFolder("postgres-bin");
        var source = NothingIn(empty);

        var failed = Should.Throw<InvalidOperationException>(() => source.Require(inCi: true));

        failed.Message.ShouldStartWith("CI must run the PostgreSQL tests.");
        failed.Message.ShouldContain("apt-get install -y postgresql-15");
    }

    private static PostgreSqlSource NothingIn(TempFolder binFolder) =>
        PostgreSqlSource.Find(Variables((PostgreSqlSource.BinFolderVariable, binFolder.Path)));

    private static Func<string, string?> Variables(params (string Name, string Value)[] set) =>
        name => set.Where(v => v.Name == name).Select(v => v.Value).FirstOrDefault();
}

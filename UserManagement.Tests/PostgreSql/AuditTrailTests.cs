using Npgsql;
using UserManagement.Application.Audit;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.PostgreSql.Audit;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.PostgreSql;

/// <summary>
/// The audit trail on PostgreSQL (ADR 0031, <c>PostgreSql/Audit/PostgreSqlAuditTrailSql.cs</c>): append-only in the
/// database, whatever writes to it, except retention pruning; and searched from its trigram index, with the same
/// results as SQLite's FTS5 trigram index.
/// </summary>
public sealed class AuditTrailTests
{
    private const string UpdateRefused = "Audit entries are append-only: they cannot be changed.";
    private const string DeleteRefused = "Audit entries are append-only: only retention pruning removes them.";

    // Names and emails the searches below look into: accents, other scripts, and the LIKE wildcards and escape.
    private static readonly (string Name, string Email)[] People =
    [
        ("Élodie Durand", "elodie@example.com"),
        ("ZOË ÅSTRÖM", "zoe@example.com"),
        ("李小龍 Bruce", "bruce@example.com"),
        ("Ada 100% Lovelace", "ada_l@example.com"),
        ("Grace Back\\slash", "grace@example.com"),
        ("Plain Person", "plain@example.org"),
    ];

    [Theory]
    [InlineData("""UPDATE "AuditEntries" SET "Detail" = 'rewritten'""", UpdateRefused)]
    [InlineData("""UPDATE "AuditEntries" SET "Detail" = 'rewritten' WHERE false""", UpdateRefused)]
    [InlineData("""DELETE FROM "AuditEntries" """, DeleteRefused)]
    [InlineData("""TRUNCATE "AuditEntries" """, DeleteRefused)]
    public async Task Should_refuse_a_raw_statement_that_changes_or_removes_entries(string sql, string message)
    {
        await using var app = await TestApp.StartAsync(provider: DatabaseProvider.PostgreSQL);
        await app.CreateUser("Ada", "ada@example.com");
        var before = (await app.AuditEntriesAsync()).Select(e => (e.Id, e.Detail)).ToList();

        var refused = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(app.Database, sql));

        refused.MessageText.ShouldBe(message);
        (await app.AuditEntriesAsync()).Select(e => (e.Id, e.Detail)).ShouldBe(before);
    }

    [Fact]
    public async Task Should_refuse_a_raw_delete_that_sets_the_pruning_flag_of_a_transaction_that_ended()
    {
        await using var app = await TestApp.StartAsync(provider: DatabaseProvider.PostgreSQL);
        await app.CreateUser("Ada", "ada@example.com");
        await using var connection = await app.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using (var pruned = TestDatabase.Command(connection, $"SELECT set_config('{PostgreSqlAuditTrailSql.PruningSetting}', 'on', true)"))
        {
            await pruned.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var delete = TestDatabase.Command(connection, """DELETE FROM "AuditEntries" """);
        (await Should.ThrowAsync<PostgresException>(() => delete.ExecuteNonQueryAsync(TestContext.Current.CancellationToken)))
            .MessageText.ShouldBe(DeleteRefused);
    }

    [Fact]
    public async Task Should_remove_old_entries_and_record_it_when_retention_prunes_and_refuse_a_delete_after_it()
    {
        await using var app = await TestApp.StartAsync(provider: DatabaseProvider.PostgreSQL);
        await app.CreateUser("Old", "old@example.com");
        app.Clock.Advance(TimeSpan.FromDays(40));
        await app.CreateUser("Recent", "recent@example.com");

        var removed = await app.Get<AuditRetention>().PruneAsync(30, TestContext.Current.CancellationToken);

        removed.ShouldBe(1);
        var left = await app.AuditEntriesAsync();
        left.Select(e => e.Action).ShouldBe([AuditActions.UserCreated, AuditActions.AuditTrailPruned]);
        (await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(app.Database, """DELETE FROM "AuditEntries" """)))
            .MessageText.ShouldBe(DeleteRefused);
    }

    [Fact]
    public async Task Should_find_the_same_entries_as_sqlite_for_every_term_in_any_case_and_script()
    {
        string[] terms = ["élodie", "ÉLODIE", "LODI", "zoë", "åström", "Ström", "李小龍", "小龍 b", "100%", "0% L", "a_l@", "_l@", "k\\s",
            "example.org", "%%%", "___", "nobody"];
        await using var sqlite = await TestApp.StartAsync();
        await using var postgreSql = await TestApp.StartAsync(provider: DatabaseProvider.PostgreSQL);
        foreach (var app in new[] { sqlite, postgreSql })
        {
            foreach (var (name, email) in People)
            {
                await app.CreateUser(name, email);
            }
        }

        foreach (var term in terms)
        {
            var onPostgreSql = await FoundAsync(postgreSql, term);
            onPostgreSql.ShouldBe(await FoundAsync(sqlite, term), $"searching for '{term}'");
        }

        (await FoundAsync(postgreSql, "ÉLODIE")).ShouldBe(["elodie@example.com"]);
        (await FoundAsync(postgreSql, "100%")).ShouldBe(["ada_l@example.com"]);
        (await FoundAsync(postgreSql, "%%%")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_search_fifty_thousand_entries_from_the_trigram_index()
    {
        await using var app = await TestApp.StartAsync(provider: DatabaseProvider.PostgreSQL);
        await ExecuteAsync(app.Database, """
            INSERT INTO "AuditEntries" ("OccurredAt", "ActorName", "Action", "TargetName", "TargetEmail", "CorrelationId", "Changes")
            SELECT now() - make_interval(secs => n), 'system', 'UserCreated', 'Person ' || n, 'person' || n || '@example.com',
                   md5(n::text), '[]'
            FROM generate_series(1, 50000) AS n;
            ANALYZE "AuditEntries";
            """);

        await using var connection = await app.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var matching = PostgreSqlAuditTrailSql.Matching("person4242@");
        await using var explain = TestDatabase.Command(connection, "EXPLAIN (FORMAT JSON) " + string.Format(
            System.Globalization.CultureInfo.InvariantCulture, matching.Format, "@term"), ("term", matching.GetArgument(0)));
        var plan = (string)(await explain.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;

        plan.ShouldContain($"\"Index Name\": \"{PostgreSqlAuditTrailSql.SearchIndex}\"", customMessage: plan);
        plan.ShouldNotContain("Seq Scan", customMessage: plan);
        (await FoundAsync(app, "PERSON4242@")).ShouldBe(["person4242@example.com"]);
    }

    /// <summary>The target emails of the entries the audit page's search finds, in order.</summary>
    private static async Task<List<string?>> FoundAsync(TestApp app, string term)
    {
        var page = await app.Send(new ListAuditEntriesQuery(new AuditFilter(Search: term), PageSize: 100));
        return [.. page.ShouldSucceed().Items.Select(e => e.TargetEmail).Distinct().Order(StringComparer.Ordinal)];
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = TestDatabase.Command(connection, sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}

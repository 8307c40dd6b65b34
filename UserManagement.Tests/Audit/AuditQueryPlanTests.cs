using Microsoft.Data.Sqlite;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Tests.Support;
using static UserManagement.Tests.Audit.AuditSeed;

namespace UserManagement.Tests.Audit;

/// <summary>
/// The audit list stays fast on a big trail because each filter seeks an index that also yields the trail's order
/// (time, then id), so no page ever sorts or scans the table. These tests pin the plan SQLite picks for the exact
/// SQL the list sends; the figures themselves belong in docs/benchmarks.md.
/// </summary>
[OneProvider("SQLite's query plans; PostgreSQL's plans have their own guards.")]
public sealed class AuditQueryPlanTests : AppTests
{
    private static readonly DateTime Day = TestApp.Start.UtcDateTime.Date;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var entries = Enumerable.Range(0, 200).Select(i => (Day.AddMinutes(i), i % 2 == 0 ? Ana : Ben, i % 3 == 0 ? AuditActions.UserCreated : AuditActions.UserUpdated,
            (Application.Users.UserRef?)(i % 5 == 0 ? Grace : Ada), (string?)null)).ToArray();
        await App.AddAsync(entries);
    }

    /// <summary>Sends the query and returns SQLite's plan for the page query it ran (the one that reads entries).</summary>
    private async Task<string> PlanOf(AuditFilter filter, bool secondPage = false)
    {
        AuditCursor? before = null;
        if (secondPage)
        {
            before = (await App.Send(new ListAuditEntriesQuery(filter, PageSize: 10))).ShouldSucceed().Older;
            before.ShouldNotBeNull();
        }

        App.Commands.Clear();
        (await App.Send(new ListAuditEntriesQuery(filter, before, PageSize: 10))).ShouldSucceed();
        var page = App.Commands.Commands.First(c => c.Sql.Contains("FROM \"AuditEntries\"", StringComparison.Ordinal) && c.Sql.Contains("LIMIT", StringComparison.Ordinal));

        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + page.Sql;
        foreach (var (name, value) in page.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        await using var reader = await explain.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join("\n", lines);
    }

    private static void ShouldSeekWithoutSorting(string plan, string index, string seek)
    {
        plan.ShouldContain($"USING INDEX {index} ({seek})", customMessage: plan);
        plan.ShouldNotContain("TEMP B-TREE", customMessage: plan);
    }

    [Fact]
    public async Task Should_read_the_first_page_from_the_time_index_without_sorting()
    {
        var plan = await PlanOf(new AuditFilter());

        plan.ShouldMatch(@"SCAN \w+ USING INDEX IX_AuditEntries_OccurredAt", customMessage: plan);
        plan.ShouldNotContain("TEMP B-TREE", customMessage: plan);
    }

    [Fact]
    public async Task Should_seek_a_later_page_by_keyset_instead_of_skipping_rows()
    {
        var plan = await PlanOf(new AuditFilter(), secondPage: true);

        ShouldSeekWithoutSorting(plan, "IX_AuditEntries_OccurredAt", "OccurredAt<?");
    }

    [Fact]
    public async Task Should_seek_the_actor_index_for_an_administrator()
    {
        ShouldSeekWithoutSorting(await PlanOf(new AuditFilter(ActorId: Ana.ActorId), secondPage: true),
            "IX_AuditEntries_ActorId_OccurredAt", "ActorId=? AND OccurredAt<?");
        ShouldSeekWithoutSorting(await PlanOf(new AuditFilter(ActorName: OperationContext.SystemActorName)),
            "IX_AuditEntries_ActorId_OccurredAt", "ActorId=?");
    }

    [Fact]
    public async Task Should_seek_the_action_index_for_an_action()
    {
        ShouldSeekWithoutSorting(await PlanOf(new AuditFilter(Action: AuditActions.UserCreated), secondPage: true),
            "IX_AuditEntries_Action_OccurredAt", "Action=? AND OccurredAt<?");
    }

    [Fact]
    public async Task Should_seek_the_user_index_for_one_users_history()
    {
        ShouldSeekWithoutSorting(await PlanOf(new AuditFilter(UserId: Ada.Id), secondPage: true),
            "IX_AuditEntries_TargetId_OccurredAt", "TargetId=? AND OccurredAt<?");
    }

    [Fact]
    public async Task Should_seek_the_time_index_for_a_date_range()
    {
        ShouldSeekWithoutSorting(await PlanOf(new AuditFilter(From: Day.AddMinutes(10), To: Day.AddMinutes(150))),
            "IX_AuditEntries_OccurredAt", "OccurredAt>? AND OccurredAt<?");
    }

    [Fact]
    public async Task Should_look_up_a_search_in_the_full_text_index_and_read_only_the_matches()
    {
        var plan = await PlanOf(new AuditFilter(Search: "grace"));

        // The trigram index answers MATCH; each match is one primary-key lookup; only the matches are sorted.
        plan.ShouldMatch(@"SCAN AuditEntrySearch VIRTUAL TABLE INDEX \d+:M", customMessage: plan);
        plan.ShouldMatch(@"SEARCH \w+ USING INTEGER PRIMARY KEY \(rowid=\?\)", customMessage: plan);
    }
}

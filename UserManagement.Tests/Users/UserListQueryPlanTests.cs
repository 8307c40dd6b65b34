using Microsoft.Data.Sqlite;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Sqlite.Users;
using UserManagement.Infrastructure.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

/// <summary>
/// The plans the list's speed depends on, pinned with EXPLAIN QUERY PLAN so that a change that would turn a
/// seek into a scan fails here, on any machine, however noisy: the sort order's index for every page, the
/// role-and-status index, the trigram index for substring search, and no sorting of the whole table.
/// </summary>
public sealed class UserListQueryPlanTests(UserListQueryPlanTests.Database database) : IClassFixture<UserListQueryPlanTests.Database>
{
    private const int Users = UserListPlanner.CountCap + 2_000;

    private TestApp App => database.App;

    private SqlitePageAnchors Anchors => App.Get<SqlitePageAnchors>();

    /// <summary>One database for the class: enough users that broad searches take the windowed plan.</summary>
    public sealed class Database : IAsyncLifetime
    {
        public TestApp App { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            App = await TestApp.StartAsync();
            var now = App.Clock.GetUtcNow().UtcDateTime;
            await UserRows.InsertAsync(App.Database, Enumerable.Range(0, Users).Select(i => new UserRows.Spec(
                $"Person {i % 500} Common", $"p{i}@example.com",
                i % 40 == 0 ? UserRole.Administrator : UserRole.Member,
                i % 9 == 0 ? UserStatus.Disabled : UserStatus.Active,
                now.AddMinutes(-i), i % 3 == 0 ? null : now.AddMinutes(-i / 2))), now);
        }

        public async ValueTask DisposeAsync() => await App.DisposeAsync();
    }

    private async Task<List<string>> PlanOf(string sql, IEnumerable<SqliteParameter> parameters)
    {
        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter.ParameterName, parameter.Value);
        }

        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var details = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            details.Add(reader.GetString(3));
        }

        return details;
    }

    private async Task<List<string>> PageSteps(UserListRequest request, bool fetchAll = false)
    {
        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var (sql, parameters) = await SqliteUserListExplain.RowsAsync(connection, request, fetchAll, Anchors, TestContext.Current.CancellationToken);
        return await PlanOf(sql, parameters);
    }

    private async Task<(string Sql, IReadOnlyList<SqliteParameter> Parameters)> CountCommand(UserListRequest request)
    {
        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return await SqliteUserListExplain.CountAsync(connection, request, TestContext.Current.CancellationToken);
    }

    private static void ShouldNotScanTheTable(List<string> plan)
    {
        plan.ShouldNotContain(step => step.StartsWith("SCAN e", StringComparison.Ordinal) && !step.Contains("USING", StringComparison.Ordinal), string.Join(" / ", plan));
        plan.ShouldNotContain(step => step.StartsWith("SCAN UserListEntries", StringComparison.Ordinal) && !step.Contains("USING", StringComparison.Ordinal), string.Join(" / ", plan));
        plan.ShouldNotContain(step => step.StartsWith("SCAN Users", StringComparison.Ordinal), string.Join(" / ", plan));
    }

    private static void ShouldNotSort(List<string> plan) =>
        plan.ShouldNotContain(step => step.Contains("TEMP B-TREE", StringComparison.Ordinal), string.Join(" / ", plan));

    [Theory]
    [InlineData("name")]
    [InlineData("email")]
    [InlineData("role")]
    [InlineData("status")]
    [InlineData("createdAt")]
    [InlineData("updatedAt")]
    [InlineData("lastSignInAt")]
    public async Task Should_read_every_page_of_every_sort_order_from_its_index_without_sorting(string sortBy)
    {
        var index = SqliteUserListSchema.SortIndex(sortBy);
        foreach (var descending in new[] { false, true })
        {
            var first = new UserListRequest(null, null, null, sortBy, descending, 1, 25);
            var pages = new Dictionary<string, UserListRequest>
            {
                ["first"] = first,
                ["next"] = first with { Page = 2, Cursor = new UserListCursor(2, false, sortBy, descending, "M", Guid.CreateVersion7()) },
                ["previous"] = first with { Page = 2, Cursor = new UserListCursor(2, true, sortBy, descending, "M", Guid.CreateVersion7()) },
                ["last"] = first with { Page = ((Users - 1) / 25) + 1 },
                ["jump"] = first with { Page = Users / 25 / 3 },
                ["jump past the middle"] = first with { Page = Users / 25 * 2 / 3 },
            };

            foreach (var (kind, request) in pages)
            {
                var plan = await PageSteps(request);
                plan.ShouldContain(step => step.Contains($"INDEX {index}", StringComparison.Ordinal), $"{sortBy} {kind}: {string.Join(" / ", plan)}");
                ShouldNotScanTheTable(plan);
                ShouldNotSort(plan);
                if (request.Cursor is not null || kind.StartsWith("jump", StringComparison.Ordinal))
                {
                    // A cursor seeks to its row; a jump to the anchor before its page (ADR 0022), not OFFSET from an end.
                    plan.ShouldContain(step => step.StartsWith($"SEARCH e USING INDEX {index} ((", StringComparison.Ordinal), $"{sortBy} {kind} seeks: {string.Join(" / ", plan)}");
                }
            }
        }
    }

    [Theory]
    [InlineData("name")]
    [InlineData("createdAt")]
    [InlineData("lastSignInAt")]
    public async Task Should_read_page_anchors_by_seeking_the_sort_index_from_the_anchor_before(string sortBy)
    {
        var plan = await PlanOf(SqlitePageAnchors.StepSql(sortBy), [new("$anchorKey", "M"), new("$anchorId", "0")]);

        // A seek past the anchor, not a walk from the start (the generated last sign-in key is not covering; skipped rows are not read).
        plan.ShouldContain(step => step.StartsWith($"SEARCH {SqliteUserListSchema.Table} USING ", StringComparison.Ordinal)
            && step.Contains($"INDEX {SqliteUserListSchema.SortIndex(sortBy)} ((", StringComparison.Ordinal), string.Join(" / ", plan));
        ShouldNotSort(plan);
    }

    [Fact]
    public async Task Should_seek_the_role_and_status_index_for_both_filters_in_name_order()
    {
        var plan = await PageSteps(new UserListRequest(null, UserRole.Administrator, UserStatus.Disabled, "name", false, 1, 25));

        plan.ShouldContain(step => step.StartsWith($"SEARCH e USING INDEX {SqliteUserListSchema.GroupIndex} (Role=? AND Status=?)", StringComparison.Ordinal), string.Join(" / ", plan));
        ShouldNotSort(plan);
    }

    [Fact]
    public async Task Should_find_search_matches_through_the_trigram_index_and_count_them_there()
    {
        var request = new UserListRequest(UserSearch.From("p1@ex"), null, null, "name", false, 1, 25);
        var (countSql, countParameters) = await CountCommand(request);

        var count = await PlanOf(countSql, countParameters);
        var page = await PageSteps(request);
        var filtered = await PageSteps(request with { Role = UserRole.Member });

        count.ShouldContain(step => step.Contains("UserListSearch VIRTUAL TABLE INDEX", StringComparison.Ordinal), string.Join(" / ", count));
        page.ShouldContain(step => step.Contains("UserListSearch VIRTUAL TABLE INDEX", StringComparison.Ordinal), string.Join(" / ", page));
        page.ShouldContain(step => step.StartsWith("SEARCH e USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal), string.Join(" / ", page));
        filtered.ShouldContain(step => step.Contains("UserListSearch VIRTUAL TABLE INDEX", StringComparison.Ordinal), string.Join(" / ", filtered));
        ShouldNotScanTheTable(page);
        ShouldNotScanTheTable(filtered);
    }

    [Fact]
    public async Task Should_ask_the_trigram_index_for_the_rarest_trigrams_of_a_long_term_and_confirm_the_rows_with_instr()
    {
        // The counts the read model keeps, read again now that the users are in (the migration ran on an empty database).
        await using (var connection = new SqliteConnection(App.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteUserListSchema.ChangeCounterSteps.Single(s => s.Name.Contains("trigram", StringComparison.Ordinal)).Sql;
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var rare = new UserListRequest(UserSearch.From("p11234@example"), null, null, "name", false, 1, 25);
        var common = rare with { Search = UserSearch.From("common") };
        var (countSql, countParameters) = await CountCommand(rare);
        var (_, commonParameters) = await CountCommand(common);

        // "@EX", "EXA"... are in every user: only the three rarest trigrams of the term are asked for.
        var asked = (string)countParameters.Single(p => p.ParameterName == "$phrase").Value!;
        asked.Split(" AND ").Length.ShouldBe(SqliteTrigramStatistics.RareTrigramsAsked, asked);
        asked.ShouldNotContain("@EX");
        asked.ShouldNotContain("EXA");
        ((string)commonParameters.Single(p => p.ParameterName == "$phrase").Value!).ShouldBe("\"COMMON\"", "a term whose trigrams are all common is matched as a phrase");
        var count = await PlanOf(countSql, countParameters);
        count.ShouldContain(step => step.Contains("UserListSearch VIRTUAL TABLE INDEX", StringComparison.Ordinal), string.Join(" / ", count));
        count.ShouldContain(step => step.StartsWith("SEARCH e USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal), string.Join(" / ", count));
        ShouldNotScanTheTable(count);
        var page = await PageSteps(rare);
        page.ShouldContain(step => step.Contains("UserListSearch VIRTUAL TABLE INDEX", StringComparison.Ordinal), string.Join(" / ", page));
        ShouldNotScanTheTable(page);

        // The rows' instr() conditions keep the answer exact: "p11234@example" only, not "p1123@..." or "p21234@...".
        var found = (await App.Send(new ListUsersQuery(Search: "p11234@example"))).ShouldSucceed();
        found.Items.Select(u => u.Email).ShouldBe(["p11234@example.com"]);
        found.TotalCount.ShouldBe(1);
    }

    [Fact]
    public async Task Should_look_through_a_window_of_the_sort_order_for_a_broad_search_and_fall_back_to_the_trigram_index()
    {
        var broad = new UserListRequest(UserSearch.From("common"), null, null, "createdAt", true, 1, 25);

        var window = await PageSteps(broad);
        var fallback = await PageSteps(broad, fetchAll: true);

        window.ShouldContain(step => step.Contains($"USING COVERING INDEX {SqliteUserListSchema.SortIndex("createdAt")}", StringComparison.Ordinal), string.Join(" / ", window));
        window.ShouldContain(step => step.StartsWith("SEARCH e USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal), string.Join(" / ", window));
        ShouldNotScanTheTable(window);
        fallback.ShouldContain(step => step.Contains("UserListSearch VIRTUAL TABLE INDEX", StringComparison.Ordinal), string.Join(" / ", fallback));
        ShouldNotScanTheTable(fallback);
    }

    [Fact]
    public async Task Should_find_a_one_letter_search_through_the_name_and_email_indexes()
    {
        var request = new UserListRequest(UserSearch.From("q"), null, null, "name", false, 1, 25);
        var (countSql, countParameters) = await CountCommand(request);

        var plan = await PageSteps(request, fetchAll: true);
        var count = await PlanOf(countSql, countParameters);

        foreach (var steps in new[] { plan, count })
        {
            steps.ShouldContain(step => step.Contains($"INDEX {SqliteUserListSchema.SortIndex("name")} (NameKey>? AND NameKey<?)", StringComparison.Ordinal), string.Join(" / ", steps));
            steps.ShouldContain(step => step.Contains($"INDEX {SqliteUserListSchema.SortIndex("email")} (EmailKey>? AND EmailKey<?)", StringComparison.Ordinal), string.Join(" / ", steps));
            ShouldNotScanTheTable(steps);
        }
    }
}

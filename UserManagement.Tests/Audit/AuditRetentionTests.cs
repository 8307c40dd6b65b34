using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite.Audit;
using UserManagement.Tests.Support;
using UserManagement.Web.Audit;
using static UserManagement.Tests.Audit.AuditSeed;

namespace UserManagement.Tests.Audit;

[OneProvider("Counts and ages entries with SQLite SQL; PostgreSQL's pruning has its own tests.")]
public sealed class AuditRetentionTests : AppTests
{
    private static readonly DateTime Now = TestApp.Start.UtcDateTime;

    private Task<int> Prune(int? days) => App.Get<AuditRetention>().PruneAsync(days, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Should_keep_every_entry_when_no_retention_is_configured()
    {
        await App.AddAsync((Now.AddYears(-10), Ana, AuditActions.UserCreated, Ada, null));

        (await Prune(null)).ShouldBe(0);

        (await App.AuditEntriesAsync()).ShouldHaveSingleItem();
        App.Published.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_remove_entries_past_the_retention_and_record_that_it_did()
    {
        var ids = await App.AddAsync(
            (Now.AddDays(-400), Ana, AuditActions.UserCreated, Grace, "old enough"),
            (Now.AddDays(-31), Ana, AuditActions.UserUpdated, Grace, null),
            (Now.AddDays(-29), Ben, AuditActions.UserUpdated, Ada, null));

        (await Prune(30)).ShouldBe(2);

        var entries = await App.AuditEntriesAsync();
        entries.Select(e => e.Id).Take(1).ShouldBe([ids[2]]);
        var pruned = entries.Last();
        pruned.Action.ShouldBe(AuditActions.AuditTrailPruned);
        (pruned.ActorId, pruned.ActorName).ShouldBe((null, OperationContext.SystemActorName));
        pruned.Detail.ShouldBe("2 entries from before 2025-12-16 09:30 UTC removed: the retention is 30 days.");
        App.Published.Events.ShouldHaveSingleItem().ShouldBeOfType<AuditTrailPruned>().Count.ShouldBe(2);
        (await App.Send(new ListAuditEntriesQuery(new AuditFilter(Search: "old enough")))).ShouldSucceed().Items.ShouldBeEmpty();
        (await App.Send(new ListAuditEntriesQuery(new AuditFilter(Search: "ben@example")))).ShouldSucceed().Items.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_let_only_pruning_delete_and_leave_nothing_that_lets_another_delete_through_afterwards()
    {
        await App.AddAsync((Now.AddDays(-40), Ana, AuditActions.UserCreated, Ada, null), (Now.AddDays(-1), Ana, AuditActions.UserUpdated, Ada, null));

        (await Prune(30)).ShouldBe(1);

        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var cutOff = connection.CreateCommand())
        {
            cutOff.CommandText = $"SELECT COUNT(*) FROM {SqliteAuditTrailSql.PruningTable} WHERE \"Before\" IS NULL";
            (await cutOff.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe(1L, "pruning sets its cut-off back before it commits");
        }

        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM AuditEntries";
        (await Should.ThrowAsync<SqliteException>(() => delete.ExecuteNonQueryAsync(TestContext.Current.CancellationToken)))
            .Message.ShouldContain(SqliteAuditTrailSql.DeleteGuardMessage);
        (await App.AuditEntriesAsync()).Select(e => e.Action).ShouldBe([AuditActions.UserUpdated, AuditActions.AuditTrailPruned]);
    }

    [Fact]
    public async Task Should_remove_entries_only_inside_a_transaction()
    {
        await App.AddAsync((Now.AddDays(-40), Ana, AuditActions.UserCreated, Ada, null));
        await using var db = await App.OpenDbAsync();

        await Should.ThrowAsync<InvalidOperationException>(() => db.RemoveAuditEntriesBeforeAsync(Now, TestContext.Current.CancellationToken));

        (await App.AuditEntriesAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_record_nothing_when_nothing_was_old_enough()
    {
        await App.AddAsync((Now.AddDays(-1), Ana, AuditActions.UserCreated, Ada, null));

        (await Prune(30)).ShouldBe(0);

        (await App.AuditEntriesAsync()).ShouldHaveSingleItem().Action.ShouldBe(AuditActions.UserCreated);
    }

    [Fact]
    public async Task Should_prune_at_start_up_and_then_once_a_day_with_the_configured_retention()
    {
        await App.AddAsync((Now.AddDays(-40), Ana, AuditActions.UserCreated, Ada, null));
        using var service = new AuditRetentionService(
            App.Get<AuditRetention>(), Options.Create(new AuditOptions { RetentionDays = 30 }), App.Clock, NullLogger<AuditRetentionService>.Instance);

        await service.StartAsync(TestContext.Current.CancellationToken);
        (await App.Published.WaitForAsync<AuditTrailPruned>().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Count.ShouldBe(1);

        await App.AddAsync((Now.AddDays(-35), Ben, AuditActions.UserCreated, Grace, null));
        App.Clock.Advance(AuditRetentionService.Interval);
        (await App.Published.WaitForAsync<AuditTrailPruned>(2).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Count.ShouldBe(1);

        await service.StopAsync(TestContext.Current.CancellationToken);
        (await App.AuditEntriesAsync()).Select(e => e.Action).ShouldBe([AuditActions.AuditTrailPruned, AuditActions.AuditTrailPruned]);
    }

    [Fact]
    public async Task Should_refuse_a_retention_shorter_than_a_day() =>
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => Prune(0));

    [Fact]
    public async Task Should_have_the_append_only_trigger_and_the_search_index_after_every_migration()
    {
        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('trigger', 'table') AND name LIKE 'AuditEntr%'";
        var names = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                names.Add(reader.GetString(0));
            }
        }

        names.ShouldContain(SqliteAuditTrailSql.AppendOnlyTrigger);
        names.ShouldContain(SqliteAuditTrailSql.DeleteGuardTrigger);
        names.ShouldContain(SqliteAuditTrailSql.SearchTable);
        names.ShouldContain("AuditEntries_SearchInsert");
        names.ShouldContain("AuditEntries_SearchDelete");
    }
}

using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;
using static UserManagement.Tests.Audit.AuditSeed;

namespace UserManagement.Tests.Audit;

public abstract class ListAuditEntriesTests(DatabaseProvider provider) : AppTests(provider)
{
    private static readonly DateTime Day = TestApp.Start.UtcDateTime.Date;

    private async Task<AuditPage> List(AuditFilter? filter = null, AuditCursor? before = null, AuditCursor? after = null, int size = 25) =>
        (await App.Send(new ListAuditEntriesQuery(filter ?? new AuditFilter(), before, after, size))).ShouldSucceed();

    private static long[] Ids(AuditPage page) => [.. page.Items.Select(i => i.Id)];

    [Fact]
    public async Task Should_list_newest_first_and_page_both_ways_by_keyset()
    {
        // Entries 3 and 4 share a timestamp: the id decides between them.
        var ids = await App.AddAsync(
            (Day.AddHours(1), Ana, AuditActions.UserCreated, Ada, null), (Day.AddHours(2), Ana, AuditActions.UserUpdated, Ada, null),
            (Day.AddHours(3), Ana, AuditActions.UserUpdated, Ada, null), (Day.AddHours(3), Ben, AuditActions.UserUpdated, Ada, null),
            (Day.AddHours(4), Ben, AuditActions.UserUpdated, Ada, null), (Day.AddHours(5), Ben, AuditActions.UserDeleted, Ada, null),
            (Day.AddHours(6), Ben, AuditActions.UserCreated, Grace, null));

        var first = await List(size: 3);
        Ids(first).ShouldBe([ids[6], ids[5], ids[4]]);
        first.Newer.ShouldBeNull();

        var second = await List(before: first.Older, size: 3);
        Ids(second).ShouldBe([ids[3], ids[2], ids[1]]);
        second.Newer.ShouldBe(second.Items[0].Cursor);

        var last = await List(before: second.Older, size: 3);
        Ids(last).ShouldBe([ids[0]]);
        last.Older.ShouldBeNull();

        Ids(await List(after: last.Newer, size: 3)).ShouldBe(Ids(second));
        var backToTop = await List(after: second.Newer, size: 3);
        Ids(backToTop).ShouldBe(Ids(first));
        backToTop.Newer.ShouldBeNull();
    }

    [Fact]
    public async Task Should_keep_a_link_to_a_page_working_after_its_entry_was_pruned()
    {
        var ids = await App.AddAsync(
            (Day.AddHours(1), Ana, AuditActions.UserCreated, Ada, null), (Day.AddHours(3), Ana, AuditActions.UserUpdated, Ada, null));
        var cursor = AuditCursor.Parse(new AuditCursor(Day.AddHours(2), 999).ToString());

        Ids(await List(before: cursor)).ShouldBe([ids[0]]);
    }

    [Fact]
    public async Task Should_filter_by_actor_action_user_and_date_range()
    {
        var ids = await App.AddAsync(
            (Day.AddHours(1), Ana, AuditActions.UserCreated, Ada, null),
            (Day.AddHours(2), Ben, AuditActions.UserUpdated, Ada, null),
            (Day.AddDays(1).AddHours(1), Ana, AuditActions.UserCreated, Grace, null),
            (Day.AddDays(2), OperationContext.System(), AuditActions.PasswordReset, Grace, null),
            (Day.AddDays(2), OperationContext.Anonymous(), "SignInFailed", Grace, null));

        Ids(await List(new AuditFilter(ActorId: Ana.ActorId))).ShouldBe([ids[2], ids[0]]);
        Ids(await List(new AuditFilter(ActorName: OperationContext.SystemActorName))).ShouldBe([ids[3]]);
        Ids(await List(new AuditFilter(ActorName: OperationContext.AnonymousActorName))).ShouldBe([ids[4]]);
        Ids(await List(new AuditFilter(Action: AuditActions.UserCreated))).ShouldBe([ids[2], ids[0]]);
        Ids(await List(new AuditFilter(UserId: Grace.Id))).ShouldBe([ids[4], ids[3], ids[2]]);
        Ids(await List(new AuditFilter(From: Day.AddHours(2), To: Day.AddDays(2)))).ShouldBe([ids[2], ids[1]]);
        Ids(await List(new AuditFilter(ActorId: Ana.ActorId, Action: AuditActions.UserCreated, UserId: Ada.Id))).ShouldBe([ids[0]]);
    }

    [Fact]
    public async Task Should_find_text_anywhere_in_an_entry_in_any_case()
    {
        var ids = await App.AddAsync(
            (Day.AddHours(1), Ana, AuditActions.UserCreated, Ada, null),
            (Day.AddHours(2), Ben, AuditActions.UserUpdated, Grace, "renamed \"Amazing\" Grace"),
            (Day.AddHours(3), Ben, AuditActions.UserUpdated, new UserRef(Guid.CreateVersion7(), "José Ñúñez", "jose@example.com"), null));
        await App.Send(new CreateUserCommand("Zoë Quartz", "zoe@example.com", UserRole.Member));

        Ids(await List(new AuditFilter(Search: "LOVELACE"))).ShouldBe([ids[0]]);
        Ids(await List(new AuditFilter(Search: "ben@exa"))).ShouldBe([ids[2], ids[1]]);
        Ids(await List(new AuditFilter(Search: "\"Amazing\""))).ShouldBe([ids[1]]);
        Ids(await List(new AuditFilter(Search: "ñúñ"))).ShouldBe([ids[2]]);
        (await List(new AuditFilter(Search: "Zoë Qu"))).Items.ShouldHaveSingleItem().TargetEmail.ShouldBe("zoe@example.com");
        (await List(new AuditFilter(Search: "nobody here"))).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_show_the_changes_each_entry_recorded()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        await App.Send(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, ada.Role, ada.Version));

        var page = await List(new AuditFilter(UserId: ada.Id));

        page.Items[0].Changes.ShouldBe([new FieldChange("Name", "Ada", "Ada King")]);
        page.Items[0].ActorName.ShouldBe(TestCurrentUser.Administrator.Email);
    }

    [Theory]
    [InlineData("ab", "Filter.Search")]
    [InlineData("NotAnAction", "Filter.Action")]
    [InlineData("root", "Filter.ActorName")]
    [InlineData("backwards", "Filter.To")]
    public async Task Should_refuse_a_filter_it_cannot_apply(string what, string field)
    {
        var filter = what switch
        {
            "ab" => new AuditFilter(Search: "ab"),
            "NotAnAction" => new AuditFilter(Action: "NotAnAction"),
            "root" => new AuditFilter(ActorName: "root"),
            _ => new AuditFilter(From: Day, To: Day.AddHours(-1)),
        };

        (await App.Send(new ListAuditEntriesQuery(filter))).ShouldFailOnField(field);
        (await App.Send(new ExportAuditEntriesQuery(filter))).ShouldFailOnField(field);
    }

    [Fact]
    public async Task Should_export_every_matching_entry_newest_first_as_a_stream()
    {
        var ids = await App.AddAsync(
            (Day.AddHours(1), Ana, AuditActions.UserCreated, Ada, null), (Day.AddHours(2), Ben, AuditActions.UserUpdated, Ada, null),
            (Day.AddHours(3), Ana, AuditActions.UserUpdated, Grace, null));

        var rows = (await App.Send(new ExportAuditEntriesQuery(new AuditFilter(UserId: Ada.Id)))).ShouldSucceed();

        var exported = new List<long>();
        await foreach (var row in rows.WithCancellation(TestContext.Current.CancellationToken))
        {
            exported.Add(row.Id);
        }

        exported.ShouldBe([ids[1], ids[0]]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("a-1")]
    [InlineData("1-b")]
    [InlineData("-1-2")]
    [InlineData("99999999999999999999-1")]
    [InlineData("1-2-3")]
    public void Should_read_no_cursor_from_a_mangled_url_value(string? text) => AuditCursor.Parse(text).ShouldBeNull();

    public sealed class OnSqlite() : ListAuditEntriesTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ListAuditEntriesTests(DatabaseProvider.PostgreSQL);
}

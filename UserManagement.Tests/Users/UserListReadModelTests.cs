using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite.Users;
using UserManagement.Infrastructure.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

/// <summary>
/// The list's read model: kept in step whatever writes Users, and paged by cursor, by page number and from
/// the end with exactly the order the Users table itself gives.
/// </summary>
public sealed class UserListReadModelTests : AppTests
{
    private DateTime Now => App.Clock.GetUtcNow().UtcDateTime;

    private async Task<Page<UserListItem>> List(ListUsersQuery query) => (await App.Send(query)).ShouldSucceed();

    /// <summary>The order the old handler produced, straight from the Users table: the reference.</summary>
    private async Task<List<Guid>> ExpectedIds(string sortBy, bool descending, Expression<Func<User, bool>>? where = null)
    {
        await using var db = await App.OpenDbAsync();
        var users = db.Users.AsNoTracking();
        if (where is not null)
        {
            users = users.Where(where);
        }

        IOrderedQueryable<User> ordered = sortBy switch
        {
            "email" => descending ? users.OrderByDescending(u => u.NormalizedEmail) : users.OrderBy(u => u.NormalizedEmail),
            "role" => descending ? users.OrderByDescending(u => u.Role) : users.OrderBy(u => u.Role),
            "status" => descending ? users.OrderByDescending(u => u.Status) : users.OrderBy(u => u.Status),
            "createdAt" => descending ? users.OrderByDescending(u => u.CreatedAt) : users.OrderBy(u => u.CreatedAt),
            "updatedAt" => descending ? users.OrderByDescending(u => u.UpdatedAt) : users.OrderBy(u => u.UpdatedAt),
            "lastSignInAt" => descending ? users.OrderByDescending(u => u.LastSignInAt) : users.OrderBy(u => u.LastSignInAt),
            _ => descending ? users.OrderByDescending(u => u.NormalizedName) : users.OrderBy(u => u.NormalizedName),
        };
        ordered = descending ? ordered.ThenByDescending(u => u.Id) : ordered.ThenBy(u => u.Id);
        return await ordered.Select(u => u.Id).ToListAsync();
    }

    /// <summary>23 users with repeated names, both roles and statuses, some never signed in, created over time.</summary>
    private async Task SeedVariedAsync()
    {
        var names = new[] { "Ada", "Élodie", "Zoë", "ada", "Bob", "Ōtsuka", "Mia" };
        var users = Enumerable.Range(0, 23).Select(i => new UserRows.Spec(
            names[i % names.Length] + (i % 3 == 0 ? string.Empty : " Smith"),
            $"u{(i * 7) % 23:00}@example.com",
            i % 5 == 0 ? UserRole.Administrator : UserRole.Member,
            i % 4 == 0 ? UserStatus.Disabled : UserStatus.Active,
            Now.AddMinutes(-i * 37 % 11),
            i % 3 == 1 ? null : Now.AddHours(-(i % 4))));
        await UserRows.InsertAsync(App.Database, users, Now);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("email")]
    [InlineData("role")]
    [InlineData("status")]
    [InlineData("createdAt")]
    [InlineData("updatedAt")]
    [InlineData("lastSignInAt")]
    public async Task Should_page_by_cursor_forwards_and_backwards_and_by_number_in_the_order_of_the_users_table(string sortBy)
    {
        await SeedVariedAsync();

        foreach (var descending in new[] { false, true })
        {
            var expected = await ExpectedIds(sortBy, descending);
            var query = new ListUsersQuery(SortBy: sortBy, Descending: descending, PageSize: 5);

            var byNumber = new List<Guid>();
            for (var page = 1; page <= 5; page++)
            {
                byNumber.AddRange((await List(query with { Page = page })).Items.Select(u => u.Id));
            }

            var forwards = new List<Guid>();
            var current = await List(query);
            forwards.AddRange(current.Items.Select(u => u.Id));
            while (current.NextCursor is { } next)
            {
                current = await List(query with { Page = current.PageNumber + 1, Cursor = next });
                forwards.AddRange(current.Items.Select(u => u.Id));
            }

            var backwards = new List<Guid>();
            current = await List(query with { Page = 5 });
            backwards.InsertRange(0, current.Items.Select(u => u.Id));
            while (current.PreviousCursor is { } previous)
            {
                current = await List(query with { Page = current.PageNumber - 1, Cursor = previous });
                backwards.InsertRange(0, current.Items.Select(u => u.Id));
            }

            byNumber.ShouldBe(expected, $"by page number, {sortBy} {(descending ? "descending" : "ascending")}");
            forwards.ShouldBe(expected, $"by next cursor, {sortBy} {(descending ? "descending" : "ascending")}");
            backwards.ShouldBe(expected, $"by previous cursor, {sortBy} {(descending ? "descending" : "ascending")}");
        }
    }

    [Fact]
    public async Task Should_jump_from_page_anchors_to_the_rows_offset_gives_and_read_them_again_after_users_change()
    {
        // Enough users for four anchors per order; pages whose rows lie past the first anchor from either end.
        await UserRows.InsertAsync(App.Database, Enumerable.Range(0, 4_600).Select(i => new UserRows.Spec(
            $"Person {i % 700:000}", $"p{i}@example.com",
            i % 7 == 0 ? UserRole.Administrator : UserRole.Member,
            i % 5 == 0 ? UserStatus.Disabled : UserStatus.Active,
            Now.AddMinutes(-i), i % 3 == 0 ? null : Now.AddMinutes(-i / 2))), Now);
        var anchors = App.Services.GetRequiredService<PageAnchorCache>();
        int[] pages = [45, 100, 140];

        // The first jumps page by OFFSET and ask for the anchors; once they are read, the same jumps seek from them.
        var before = await JumpEverywhereAsync();
        await anchors.WhenIdleAsync();
        foreach (var sortBy in ListUsersQuery.SortKeys)
        {
            anchors.Known(sortBy, before).ShouldBeGreaterThan(1, $"{sortBy}: the anchors were read");
        }

        (await JumpEverywhereAsync()).ShouldBe(before);

        // Users added at the front of every order, some removed, some moved: every anchor read before is now wrong.
        await UserRows.InsertAsync(App.Database, Enumerable.Range(0, 300).Select(i => new UserRows.Spec(
            $"Aaron {i:000}", $"a{i}@example.com", UserRole.Administrator, UserStatus.Active, Now.AddYears(-3).AddMinutes(i), null)), Now);
        await using (var db = await App.OpenDbAsync())
        {
            var some = await db.Users.OrderBy(u => u.Email).Take(150).Select(u => u.Id).ToListAsync(TestContext.Current.CancellationToken);
            await db.Users.Where(u => some.Contains(u.Id)).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE Users SET NormalizedName = 'ZZ ' || NormalizedName, UpdatedAt = '2000-01-01 00:00:00' WHERE Email LIKE 'p1%'",
                TestContext.Current.CancellationToken);
        }

        // The anchors of the old list are not used (the version moved on); the new ones are read and then used.
        var after = await JumpEverywhereAsync();
        after.ShouldBeGreaterThan(before, "writes that move rows bump the list's version");
        await anchors.WhenIdleAsync();
        anchors.Known("name", after).ShouldBeGreaterThan(1, "the anchors were read again for the changed list");
        (await JumpEverywhereAsync()).ShouldBe(after);

        async Task<long> JumpEverywhereAsync()
        {
            foreach (var sortBy in ListUsersQuery.SortKeys)
            {
                foreach (var descending in new[] { false, true })
                {
                    var expected = await ExpectedIds(sortBy, descending);
                    foreach (var page in pages)
                    {
                        var jumped = await List(new ListUsersQuery(SortBy: sortBy, Descending: descending, Page: page));
                        jumped.Items.Select(u => u.Id).ShouldBe(
                            expected.Skip((page - 1) * 25).Take(25), $"page {page} by {sortBy} {(descending ? "descending" : "ascending")}");
                    }
                }
            }

            await using var connection = new SqliteConnection(App.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            return await SqlitePageAnchors.VersionAsync(connection, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Should_count_a_change_to_the_lists_orders_only_when_a_write_can_move_a_row()
    {
        const string Password = "correct horse battery staple";
        var grace = await App.CreateUserWithPassword("grace@navy.example", Password, name: "Grace Hopper");
        var version = await VersionAsync();

        // Failed sign-ins up to a lockout change what the row shows (locked until) but no sort column.
        for (var i = 0; i < SignInCommand.MaxFailedAttempts; i++)
        {
            (await App.Send(new SignInCommand("grace@navy.example", "wrong " + i, "203.0.113.9"))).IsSuccess.ShouldBeFalse();
        }

        (await VersionAsync()).ShouldBe(version, "failed sign-ins and the lockout move no row in any order");
        (await List(new ListUsersQuery(Search: "grace"))).Items.Single().LockedUntil.ShouldNotBeNull("the list still shows the lockout");

        // Each of these moves the row in some order: renamed (name), signed in (last sign-in), changed (updated at).
        await using (var db = await App.OpenDbAsync())
        {
            await db.Users.Where(u => u.Id == grace.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, Now), TestContext.Current.CancellationToken);
        }

        var signedIn = await VersionAsync();
        signedIn.ShouldBeGreaterThan(version, "a sign-in moves the row in the last-sign-in order");
        var stored = (await App.Send(new GetUserQuery(grace.Id))).ShouldSucceed();
        (await App.Send(new UpdateUserCommand(grace.Id, "Grace B. Hopper", "grace@navy.example", UserRole.Member, stored.Version))).ShouldSucceed();
        (await VersionAsync()).ShouldBeGreaterThan(signedIn, "a rename moves the row in the name order");
        await ShouldMatchTheUsersTable();

        async Task<long> VersionAsync()
        {
            await using var connection = new SqliteConnection(App.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            return await SqlitePageAnchors.VersionAsync(connection, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Should_ignore_a_cursor_for_another_page_or_order_and_find_the_page_by_number()
    {
        await SeedVariedAsync();
        var first = await List(new ListUsersQuery(PageSize: 5));
        var expected = (await List(new ListUsersQuery(Page: 3, PageSize: 5))).Items;

        (await List(new ListUsersQuery(Page: 3, PageSize: 5, Cursor: first.NextCursor))).Items.ShouldBe(expected);
        (await List(new ListUsersQuery(SortBy: "email", Page: 2, PageSize: 5, Cursor: first.NextCursor))).Items
            .Select(u => u.Id).ShouldBe((await ExpectedIds("email", false)).Skip(5).Take(5));
        (await List(new ListUsersQuery(Page: 3, PageSize: 5, Cursor: "not a cursor"))).Items.ShouldBe(expected);
    }

    [Fact]
    public async Task Should_find_a_page_past_the_end_empty_and_a_huge_page_number_without_overflowing()
    {
        await SeedVariedAsync();

        var huge = await List(new ListUsersQuery(Page: 85_899_347, PageSize: 25));

        huge.Items.ShouldBeEmpty();
        huge.TotalCount.ShouldBe(23);
        (await List(new ListUsersQuery(Page: int.MaxValue, PageSize: 100))).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_keep_the_read_model_in_step_with_every_way_users_are_written()
    {
        var grace = await App.CreateUser("Grace Hopper", "grace@navy.example");
        var alan = await App.CreateUser("Alan Turing", "alan@bletchley.example");
        var ada = await App.CreateUser("Ada Lovelace", "ada@engine.example", UserRole.Administrator);
        (await App.Send(new UpdateUserCommand(grace.Id, "Grace B. Hopper", "amazing.grace@navy.example", UserRole.Administrator, grace.Version)))
            .ShouldSucceed();
        (await App.Send(new SetUserStatusCommand(alan.Id, UserStatus.Disabled, alan.Version))).ShouldSucceed();
        (await App.Send(new DeleteUserCommand(ada.Id, ada.Version))).ShouldSucceed();
        await UserRows.InsertAsync(App.Database, [new UserRows.Spec("Katherine Johnson", "katherine@nasa.example")], Now);
        await using (var db = await App.OpenDbAsync())
        {
            await db.Users.Where(u => u.Id == alan.Id).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.Name, "Alan M. Turing").SetProperty(u => u.NormalizedName, "ALAN M. TURING")
                .SetProperty(u => u.LastSignInAt, Now), TestContext.Current.CancellationToken);
            await db.Users.Where(u => u.Name == "Katherine Johnson").ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        await App.CreateUser("Dorothy Vaughan", "dorothy@nasa.example");

        await ShouldMatchTheUsersTable();
        (await List(new ListUsersQuery(Search: "amazing"))).Items.Select(u => u.Name).ShouldBe(["Grace B. Hopper"]);
        (await List(new ListUsersQuery(Search: "grace hopper"))).TotalCount.ShouldBe(0);
        (await List(new ListUsersQuery(Search: "M. TUR"))).Items.Select(u => u.Name).ShouldBe(["Alan M. Turing"]);
        (await List(new ListUsersQuery(Search: "lovelace"))).TotalCount.ShouldBe(0);
        (await List(new ListUsersQuery(Search: "katherine"))).TotalCount.ShouldBe(0);
        (await List(new ListUsersQuery(Role: UserRole.Administrator))).Items.Select(u => u.Name).ShouldBe(["Grace B. Hopper"]);
        (await List(new ListUsersQuery(Status: UserStatus.Disabled))).Items.Select(u => u.Name).ShouldBe(["Alan M. Turing"]);
        (await List(new ListUsersQuery())).TotalCount.ShouldBe(3);
    }

    [Fact]
    public async Task Should_match_a_long_fragment_only_where_it_stands_in_one_piece()
    {
        await App.CreateUser("Annabel Lee", "annabel@poe.example");
        await App.CreateUser("Abel Nabil Anna", "scrambled@example.com");
        await App.CreateUser("Anna Karenina", "anna@tolstoy.example");

        (await List(new ListUsersQuery(Search: "annabel"))).Items.Select(u => u.Name).ShouldBe(["Annabel Lee"]);
        (await List(new ListUsersQuery(Search: "annabel", Role: UserRole.Member))).Items.Select(u => u.Name).ShouldBe(["Annabel Lee"]);
        (await List(new ListUsersQuery(Search: "nna ka"))).Items.Select(u => u.Name).ShouldBe(["Anna Karenina"]);
        (await List(new ListUsersQuery(Search: "zzqxjw"))).TotalCount.ShouldBe(0);
    }

    [Fact]
    public async Task Should_match_one_or_two_characters_at_the_start_of_a_name_or_email_only()
    {
        await App.CreateUser("Ada Lovelace", "countess@engine.example");
        await App.CreateUser("Grace Hopper", "admiral@navy.example");
        await App.CreateUser("Alan Turing", "alan@bletchley.example");

        (await List(new ListUsersQuery(Search: "a"))).Items.Select(u => u.Name).ShouldBe(["Ada Lovelace", "Alan Turing", "Grace Hopper"]);
        (await List(new ListUsersQuery(Search: "AL"))).Items.Select(u => u.Name).ShouldBe(["Alan Turing"]);
        (await List(new ListUsersQuery(Search: "co"))).Items.Select(u => u.Name).ShouldBe(["Ada Lovelace"]);
        (await List(new ListUsersQuery(Search: "ov"))).TotalCount.ShouldBe(0, "two letters inside a name do not match");
        (await List(new ListUsersQuery(Search: "ove"))).Items.Select(u => u.Name).ShouldBe(["Ada Lovelace"]);
        UserSearch.IsPrefixSearch(" ov ").ShouldBeTrue();
        UserSearch.IsPrefixSearch("ove").ShouldBeFalse();
        UserSearch.IsPrefixSearch("😀😀").ShouldBeTrue("two characters, four UTF-16 units");
    }

    [Fact]
    public async Task Should_cap_the_count_of_a_broad_search_and_still_page_it_in_order()
    {
        // 10,050 users match "common"; 6,000 more, last in name order, do not: a descending page must look past them.
        var people = Enumerable.Range(0, UserListPlanner.CountCap + 50).Select(i => new UserRows.Spec(
                $"{(char)('A' + (i % 25))}{i % 97} Common", $"c{i}@example.com", i % 50 == 0 ? UserRole.Administrator : UserRole.Member))
            .Concat(Enumerable.Range(0, UserListPlanner.WalkWindow + 1_000).Select(i => new UserRows.Spec($"Zz Other {i}", $"o{i}@example.com")));
        await UserRows.InsertAsync(App.Database, people, Now);

        var first = await List(new ListUsersQuery(Search: "common"));
        var second = await List(new ListUsersQuery(Search: "common", Page: 2, Cursor: first.NextCursor));
        var descending = await List(new ListUsersQuery(Search: "common", Descending: true));
        var admins = await List(new ListUsersQuery(Search: "common", Role: UserRole.Administrator, SortBy: "email", Descending: true));

        first.TotalCount.ShouldBe(UserListPlanner.CountCap);
        first.IsTotalCapped.ShouldBeTrue();
        var expected = await ExpectedIds("name", false, u => u.NormalizedName.Contains("COMMON"));
        first.Items.Select(u => u.Id).ShouldBe(expected.Take(25));
        second.Items.Select(u => u.Id).ShouldBe(expected.Skip(25).Take(25));
        descending.Items.Select(u => u.Id).ShouldBe((await ExpectedIds("name", true, u => u.NormalizedName.Contains("COMMON"))).Take(25));
        admins.TotalCount.ShouldBe(201);
        admins.IsTotalCapped.ShouldBeFalse();
        admins.Items.Select(u => u.Id).ShouldBe((await ExpectedIds("email", true, u => u.Role == UserRole.Administrator)).Take(25));
    }

    [Fact]
    public async Task Should_find_the_same_pages_when_many_rows_match_a_filter_as_when_few_do()
    {
        // 10,100 active members and 40 disabled administrators: the first are found by walking the sort order,
        // the second by fetching and sorting them.
        var people = Enumerable.Range(0, 10_140).Select(i => new UserRows.Spec(
            $"Person {(i * 7919) % 10_140:00000}", $"p{i}@example.com",
            i < 40 ? UserRole.Administrator : UserRole.Member,
            i < 40 ? UserStatus.Disabled : UserStatus.Active,
            Now.AddSeconds(-i)));
        await UserRows.InsertAsync(App.Database, people, Now);

        foreach (var (role, status) in new (UserRole?, UserStatus?)[] { (UserRole.Member, null), (UserRole.Administrator, null), (null, UserStatus.Disabled), (UserRole.Administrator, UserStatus.Disabled) })
        {
            var expected = await ExpectedIds("createdAt", false, u => (role == null || u.Role == role) && (status == null || u.Status == status));
            var first = await List(new ListUsersQuery(Role: role, Status: status, SortBy: "createdAt"));
            var last = await List(new ListUsersQuery(Role: role, Status: status, SortBy: "createdAt", Page: first.TotalPages));
            var middle = await List(new ListUsersQuery(Role: role, Status: status, SortBy: "createdAt", Page: (first.TotalPages + 1) / 2));

            first.TotalCount.ShouldBe(expected.Count);
            first.Items.Select(u => u.Id).ShouldBe(expected.Take(25));
            last.Items.Select(u => u.Id).ShouldBe(expected.Skip((first.TotalPages - 1) * 25));
            middle.Items.Select(u => u.Id).ShouldBe(expected.Skip((middle.PageNumber - 1) * 25).Take(25));
        }
    }

    [Fact]
    public async Task Should_build_the_read_model_for_users_written_before_the_migration_and_log_each_step()
    {
        await using (var db = await App.OpenDbAsync())
        {
            var migrator = db.GetService<IMigrator>();
            var previous = db.Database.GetMigrations().SkipLast(1).Last();
            await migrator.MigrateAsync(previous, TestContext.Current.CancellationToken);
        }

        await UserRows.InsertAsync(App.Database, [new("Ada Lovelace", "ada@engine.example"), new("Grace Hopper", "grace@navy.example", UserRole.Administrator)], Now);
        await App.Get<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        await ShouldMatchTheUsersTable();
        (await List(new ListUsersQuery(Search: "lovelace"))).Items.Select(u => u.Name).ShouldBe(["Ada Lovelace"]);
        var steps = SqliteUserListSchema.BuildSteps.Count;
        App.Logs.Lines.ShouldContain(l => l.Contains($"Users read model, step 1/{steps}: drop what an earlier build left: done in", StringComparison.Ordinal));
        App.Logs.Lines.ShouldContain(l => l.Contains($"Users read model, step {steps}/{steps}: keep the read model in step with Users: done in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_build_the_read_model_again_at_start_up_when_a_table_rebuild_dropped_its_triggers()
    {
        await App.CreateUser("Ada Lovelace", "ada@engine.example");
        await using (var db = await App.OpenDbAsync())
        {
            // What an EF Core table rebuild of Users does to its triggers.
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER UserList_AfterInsertUser;", TestContext.Current.CancellationToken);
        }

        await App.CreateUser("Grace Hopper", "grace@navy.example");
        (await List(new ListUsersQuery())).TotalCount.ShouldBe(1, "the read model fell behind while its trigger was gone");

        await App.Get<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        await ShouldMatchTheUsersTable();
        (await List(new ListUsersQuery(Search: "hopper"))).Items.Select(u => u.Name).ShouldBe(["Grace Hopper"]);
        App.Logs.Lines.ShouldContain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains($"missing triggers or tables ({SqliteUserListSchema.Objects.Count - 1} of {SqliteUserListSchema.Objects.Count} found)", StringComparison.Ordinal));
    }

    /// <summary>Every user has exactly one list row with the same values, and the counts add up.</summary>
    private async Task ShouldMatchTheUsersTable()
    {
        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync();
        async Task<List<string>> Rows(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : reader.GetValue(i).ToString())));
            }

            return rows;
        }

        const string Columns = "Id, Name, Email, Role, Status, CreatedAt, UpdatedAt, LastSignInAt, LockedUntil, Version";
        (await Rows($"SELECT {Columns}, NameKey, EmailKey FROM UserListEntries ORDER BY Id"))
            .ShouldBe(await Rows($"SELECT {Columns}, NormalizedName, NormalizedEmail FROM Users ORDER BY Id"));
        (await Rows("SELECT Role, Status, Count FROM UserListCounts WHERE Count > 0 ORDER BY Role, Status"))
            .ShouldBe(await Rows("SELECT Role, Status, count(*) FROM Users GROUP BY Role, Status ORDER BY Role, Status"));
        (await Rows("INSERT INTO UserListSearch (UserListSearch) VALUES ('integrity-check'); SELECT 'ok'")).ShouldBe(["ok"]);
    }
}

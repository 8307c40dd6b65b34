using Microsoft.EntityFrameworkCore;
using Npgsql;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.PostgreSql.Users;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.Users.PostgreSql;

/// <summary>
/// The list's read model on PostgreSQL: its PL/pgSQL triggers keep it in step whatever writes Users (EF Core's
/// SaveChanges, ExecuteUpdate/ExecuteDelete, plain SQL), count changes to the list's orders only when a row can move,
/// and the start-up check builds it from the users already there when any part is missing.
/// </summary>
public sealed class PostgreSqlUserListReadModelTests(PostgreSqlServer server) : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 1, 15, 9, 30, 0, DateTimeKind.Utc);

    private ListSide _app = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _app = await ListSide.PostgreSqlAsync(server);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Task<Application.Common.Page<UserListItem>> List(ListUsersQuery query) => _app.ListAsync(query);

    [Fact]
    public async Task Should_keep_the_read_model_in_step_with_every_way_users_are_written()
    {
        var grace = User.Create("Grace Hopper", "grace@navy.example", UserRole.Member, Now);
        var alan = User.Create("Alan Turing", "alan@bletchley.example", UserRole.Member, Now);
        var ada = User.Create("Ada Lovelace", "ada@engine.example", UserRole.Administrator, Now);
        await using (var db = await _app.OpenDbAsync())
        {
            db.Users.AddRange(grace, alan, ada);
            await db.SaveChangesAsync(Cancellation);
        }

        await using (var db = await _app.OpenDbAsync())
        {
            var stored = await db.Users.SingleAsync(u => u.Id == grace.Id, Cancellation);
            stored.Update("Grace B. Hopper", "amazing.grace@navy.example", UserRole.Administrator, Now.AddMinutes(1));
            (await db.Users.SingleAsync(u => u.Id == alan.Id, Cancellation)).SetStatus(UserStatus.Disabled, Now.AddMinutes(1));
            db.Users.Remove(await db.Users.SingleAsync(u => u.Id == ada.Id, Cancellation));
            await db.SaveChangesAsync(Cancellation);
        }

        await _app.InsertAsync([new ListUser(Guid.CreateVersion7(), "Katherine Johnson", "katherine@nasa.example", UserRole.Member, UserStatus.Active, Now)]);
        await using (var db = await _app.OpenDbAsync())
        {
            await db.Users.Where(u => u.Id == alan.Id).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.Name, "Alan M. Turing").SetProperty(u => u.NormalizedName, "ALAN M. TURING")
                .SetProperty(u => u.LastSignInAt, Now), Cancellation);
            await db.Users.Where(u => u.Name == "Katherine Johnson").ExecuteDeleteAsync(Cancellation);
        }

        await _app.InsertAsync([
            new ListUser(Guid.CreateVersion7(), "Dorothy Vaughan", "dorothy@nasa.example", UserRole.Member, UserStatus.Active, Now),
            new ListUser(Guid.CreateVersion7(), "Mary Jackson", "mary@nasa.example", UserRole.Member, UserStatus.Active, Now),
        ]);
        await _app.ExecuteAsync("""
            UPDATE "Users" SET "Role" = 'Administrator', "Status" = 'Disabled', "NormalizedEmail" = 'MARY.J@NASA.EXAMPLE', "Email" = 'mary.j@nasa.example'
            WHERE "Name" = 'Mary Jackson';
            DELETE FROM "Users" WHERE "Name" = 'Dorothy Vaughan';
            INSERT INTO "Users" ("Id", "Name", "NormalizedName", "Email", "NormalizedEmail", "Role", "Status", "CreatedAt", "UpdatedAt",
                "MustChangePassword", "PasswordIsRandom", "FailedSignInCount", "MfaLastUsedStep", "FailedMfaCount", "SecurityStamp", "Version")
            VALUES (gen_random_uuid(), 'Margaret Hamilton', 'MARGARET HAMILTON', 'margaret@mit.example', 'MARGARET@MIT.EXAMPLE', 'Member', 'Active',
                now(), now(), false, false, 0, 0, 0, 'stamp', 1);
            """);

        await ShouldMatchTheUsersTable();
        (await List(new ListUsersQuery(Search: "amazing"))).Items.Select(u => u.Name).ShouldBe(["Grace B. Hopper"]);
        (await List(new ListUsersQuery(Search: "grace hopper"))).TotalCount.ShouldBe(0);
        (await List(new ListUsersQuery(Search: "M. TUR"))).Items.Select(u => u.Name).ShouldBe(["Alan M. Turing"]);
        (await List(new ListUsersQuery(Search: "lovelace"))).TotalCount.ShouldBe(0);
        (await List(new ListUsersQuery(Search: "katherine"))).TotalCount.ShouldBe(0);
        (await List(new ListUsersQuery(Search: "mary.j@"))).Items.Select(u => u.Name).ShouldBe(["Mary Jackson"]);
        (await List(new ListUsersQuery(Search: "hamilton"))).Items.Select(u => u.Name).ShouldBe(["Margaret Hamilton"]);
        (await List(new ListUsersQuery(Role: UserRole.Administrator))).Items.Select(u => u.Name).ShouldBe(["Grace B. Hopper", "Mary Jackson"]);
        (await List(new ListUsersQuery(Status: UserStatus.Disabled))).Items.Select(u => u.Name).ShouldBe(["Alan M. Turing", "Mary Jackson"]);
        (await List(new ListUsersQuery())).TotalCount.ShouldBe(4);
    }

    [Fact]
    public async Task Should_count_a_change_to_the_lists_orders_only_when_a_write_can_move_a_row()
    {
        var id = Guid.CreateVersion7();
        await _app.InsertAsync([new ListUser(id, "Grace Hopper", "grace@navy.example", UserRole.Member, UserStatus.Active, Now)]);
        var version = await VersionAsync();
        var row = await EntryRowVersionAsync(id);

        // A new session stamp and a failed sign-in change nothing the list shows: its row is not even rewritten.
        await _app.ExecuteAsync($"""UPDATE "Users" SET "SecurityStamp" = 'other', "FailedSignInCount" = 3 WHERE "Id" = '{id}'""");
        (await EntryRowVersionAsync(id)).ShouldBe(row, "an update of nothing the list shows leaves its row alone");

        // A lockout shows in the list but moves the row in no order.
        await _app.ExecuteAsync($"""UPDATE "Users" SET "LockedUntil" = '2026-01-15 10:00:00+00' WHERE "Id" = '{id}'""");
        (await VersionAsync()).ShouldBe(version, "a lockout moves no row in any order");
        (await List(new ListUsersQuery(Search: "grace"))).Items.Single().LockedUntil.ShouldBe(new DateTime(2026, 1, 15, 10, 0, 0, DateTimeKind.Utc));

        // Each of these moves the row in some order.
        await _app.ExecuteAsync($"""UPDATE "Users" SET "LastSignInAt" = '2026-01-15 09:00:00+00' WHERE "Id" = '{id}'""");
        var signedIn = await VersionAsync();
        signedIn.ShouldBeGreaterThan(version, "a sign-in moves the row in the last-sign-in order");
        await _app.ExecuteAsync($"""UPDATE "Users" SET "Name" = 'Grace B. Hopper', "NormalizedName" = 'GRACE B. HOPPER' WHERE "Id" = '{id}'""");
        (await VersionAsync()).ShouldBeGreaterThan(signedIn, "a rename moves the row in the name order");
        await ShouldMatchTheUsersTable();
    }

    [Fact]
    public async Task Should_keep_the_counts_right_when_users_change_role_in_opposite_directions_at_the_same_time()
    {
        var members = Enumerable.Range(0, 40).Select(i => new ListUser(Guid.CreateVersion7(), $"Member {i}", $"m{i}@example.com", UserRole.Member, UserStatus.Active, Now)).ToList();
        var administrators = Enumerable.Range(0, 40).Select(i => new ListUser(Guid.CreateVersion7(), $"Admin {i}", $"a{i}@example.com", UserRole.Administrator, UserStatus.Active, Now)).ToList();
        await _app.InsertAsync([.. members, .. administrators]);

        // Each promotion and each demotion changes the same two count rows; every pair runs at once, in its own transaction.
        for (var i = 0; i < members.Count; i++)
        {
            await Task.WhenAll(
                SetRoleAsync(members[i].Id, UserRole.Administrator),
                SetRoleAsync(administrators[i].Id, UserRole.Member));
        }

        await ShouldMatchTheUsersTable();
        (await List(new ListUsersQuery(Role: UserRole.Administrator))).TotalCount.ShouldBe(40);

        async Task SetRoleAsync(Guid id, UserRole role)
        {
            await using var connection = new NpgsqlConnection(_app.ConnectionString);
            await connection.OpenAsync(Cancellation);
            await using var transaction = await connection.BeginTransactionAsync(Cancellation);
            await using var command = new NpgsqlCommand("""UPDATE "Users" SET "Role" = @role WHERE "Id" = @id""", connection, transaction);
            command.Parameters.AddWithValue("role", role.ToString());
            command.Parameters.AddWithValue("id", id);
            await command.ExecuteNonQueryAsync(Cancellation);
            await transaction.CommitAsync(Cancellation);
        }
    }

    [Fact]
    public async Task Should_build_the_read_model_from_the_users_already_there_when_it_is_missing_at_start_up()
    {
        await _app.ExecuteAsync("""
            DROP TABLE "UserListEntries" CASCADE;
            DROP TABLE "UserListCounts";
            DROP TRIGGER "UserList_AfterInsertUser" ON "Users";
            DROP TRIGGER "UserList_AfterUpdateUser" ON "Users";
            DROP TRIGGER "UserList_AfterDeleteUser" ON "Users";
            """);
        await _app.InsertAsync([
            new ListUser(Guid.CreateVersion7(), "Ada Lovelace", "ada@engine.example", UserRole.Member, UserStatus.Active, Now),
            new ListUser(Guid.CreateVersion7(), "Grace Hopper", "grace@navy.example", UserRole.Administrator, UserStatus.Disabled, Now),
        ]);

        await _app.MigrateAsync();

        await ShouldMatchTheUsersTable();
        (await List(new ListUsersQuery(Search: "lovelace"))).Items.Select(u => u.Name).ShouldBe(["Ada Lovelace"]);
        (await List(new ListUsersQuery(Role: UserRole.Administrator, Status: UserStatus.Disabled))).Items.Select(u => u.Name).ShouldBe(["Grace Hopper"]);
        var expected = PostgreSqlUserListReadModel.Expected;
        var steps = PostgreSqlUserListSchema.BuildSteps.Count;
        _app.Logs.Lines.ShouldContain(l => l.StartsWith("Warning", StringComparison.Ordinal)
            && l.Contains("missing triggers, tables or indexes", StringComparison.Ordinal) && l.Contains($"of {expected} found", StringComparison.Ordinal));
        _app.Logs.Lines.ShouldContain(l => l.Contains($"Users read model, step {steps}/{steps}: gather the list's statistics: done in", StringComparison.Ordinal));

        // Kept in step from then on.
        await _app.InsertAsync([new ListUser(Guid.CreateVersion7(), "Alan Turing", "alan@bletchley.example", UserRole.Member, UserStatus.Active, Now)]);
        await ShouldMatchTheUsersTable();
    }

    [Fact]
    public async Task Should_build_the_read_model_again_at_start_up_when_one_of_its_triggers_is_gone()
    {
        await _app.InsertAsync([new ListUser(Guid.CreateVersion7(), "Ada Lovelace", "ada@engine.example", UserRole.Member, UserStatus.Active, Now)]);
        await _app.ExecuteAsync("""DROP TRIGGER "UserList_AfterInsertUser" ON "Users";""");
        await _app.InsertAsync([new ListUser(Guid.CreateVersion7(), "Grace Hopper", "grace@navy.example", UserRole.Member, UserStatus.Active, Now)]);
        (await List(new ListUsersQuery())).TotalCount.ShouldBe(1, "the read model fell behind while its trigger was gone");

        await _app.MigrateAsync();

        await ShouldMatchTheUsersTable();
        (await List(new ListUsersQuery(Search: "hopper"))).Items.Select(u => u.Name).ShouldBe(["Grace Hopper"]);
        var expected = PostgreSqlUserListReadModel.Expected;
        _app.Logs.Lines.ShouldContain(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains($"({expected - 1} of {expected} found)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_leave_a_whole_read_model_alone_at_start_up()
    {
        await _app.InsertAsync([new ListUser(Guid.CreateVersion7(), "Ada Lovelace", "ada@engine.example", UserRole.Member, UserStatus.Active, Now)]);
        var version = await VersionAsync();

        await _app.MigrateAsync();

        (await VersionAsync()).ShouldBe(version, "a rebuild would have bumped the change counter");
        _app.Logs.Lines.ShouldNotContain(l => l.Contains("Users read model, step", StringComparison.Ordinal));
    }

    private async Task<long> VersionAsync() => long.Parse((await _app.RowsAsync("""SELECT "Version" FROM "UserListChanges" """)).Single(), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> EntryRowVersionAsync(Guid id) => (await _app.RowsAsync($"""SELECT xmin::text FROM "UserListEntries" WHERE "Id" = '{id}'""")).Single();

    /// <summary>Every user has exactly one list row with the same values, and the counts add up.</summary>
    private async Task ShouldMatchTheUsersTable()
    {
        const string Columns = "\"Id\", \"Name\", \"Email\", \"Role\", \"Status\", \"CreatedAt\", \"UpdatedAt\", \"LastSignInAt\", \"LockedUntil\", \"Version\"";
        (await _app.RowsAsync($"""SELECT {Columns}, "NameKey", "EmailKey" FROM "UserListEntries" ORDER BY "Id" """))
            .ShouldBe(await _app.RowsAsync($"""SELECT {Columns}, "NormalizedName", "NormalizedEmail" FROM "Users" ORDER BY "Id" """));
        (await _app.RowsAsync("""SELECT "Role", "Status", "Count" FROM "UserListCounts" WHERE "Count" > 0 ORDER BY 1, 2"""))
            .ShouldBe(await _app.RowsAsync("""SELECT "Role", "Status", count(*) FROM "Users" GROUP BY 1, 2 ORDER BY 1, 2"""));
    }
}

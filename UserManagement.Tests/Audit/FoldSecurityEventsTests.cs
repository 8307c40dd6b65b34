using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite.Audit;
using UserManagement.Infrastructure.Sqlite.Migrations;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Audit;

/// <summary>
/// The <c>FoldSecurityEventsIntoAuditTrail</c> migration (ADR 0020) on a database that still holds security events:
/// every row moves into the trail with its time, who, action, user, detail and address, nothing is lost or moved
/// twice, the old table is gone, and the moved entries are as append-only as the others.
/// </summary>
[OneProvider("A migration only SQLite databases made before it ever ran.")]
public sealed class FoldSecurityEventsTests : AppTests
{
    private static readonly DateTime Before = new(2026, 1, 10, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Should_move_every_security_event_into_the_trail_once_and_drop_the_old_table()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var admin = TestCurrentUser.Administrator;
        await MigrateToBeforeTheFoldAsync();

        // Rows as the old table held them: from before the trail began, and one the trail already holds a copy of.
        var copied = await App.AuditEntriesAsync();
        await using (var connection = new SqliteConnection(App.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await InsertAsync(connection, "SignInSucceeded", Before, ada.Id, ada.Email, null, "10.0.0.7", "signed in");
            await InsertAsync(connection, "SignInFailed", Before.AddMinutes(1), null, "my… (33 characters, unknown)", null, "10.0.0.9", "unknown email");
            await InsertAsync(connection, "PasswordSet", Before.AddMinutes(2), ada.Id, ada.Email, admin.UserId, null, "temporary password set by an administrator; sessions ended");
            await InsertAsync(connection, "SessionEnded", Before.AddMinutes(3), ada.Id, ada.Email, null, null, "signed out");
            await InsertAsync(connection, "AdministratorBootstrapped", Before.AddMinutes(4), admin.UserId, admin.Email, null, null, "first administrator created");
            var already = copied.First(e => e.Action == AuditActions.UserCreated);
            await InsertAsync(connection, "SignInSucceeded", already.OccurredAt, null, null, null, null, "copied by the save that wrote it");
            await InsertCopyAsync(connection, already.OccurredAt, "SignInSucceeded");
        }

        await App.Get<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);

        var moved = (await App.AuditEntriesAsync()).Where(e => e.CorrelationId.StartsWith(SecurityEventsFoldSql.CorrelationPrefix, StringComparison.Ordinal)).ToList();
        moved.Select(e => (e.OccurredAt, e.Action, e.TargetId, e.TargetEmail, e.ActorId, e.ActorName, e.Detail)).ShouldBe(
        [
            (Before, "SignInSucceeded", (Guid?)ada.Id, ada.Email, (Guid?)null, OperationContext.AnonymousActorName, "signed in (from 10.0.0.7)"),
            (Before.AddMinutes(1), "SignInFailed", null, "my… (33 characters, unknown)", null, OperationContext.AnonymousActorName, "unknown email (from 10.0.0.9)"),
            (Before.AddMinutes(2), AuditActions.PasswordReset, ada.Id, ada.Email, admin.UserId, "unknown", "temporary password set by an administrator; sessions ended"),
            (Before.AddMinutes(3), AuditActions.SessionsEnded, ada.Id, ada.Email, ada.Id, ada.Email, "signed out"),
            (Before.AddMinutes(4), "AdministratorBootstrapped", admin.UserId, admin.Email, null, OperationContext.SystemActorName, "first administrator created"),
        ]);
        moved.Select(e => e.CorrelationId).Distinct().Count().ShouldBe(moved.Count, "each moved row keeps an id of its own");
        moved.ShouldAllBe(e => e.Changes.Count == 0);
        (await App.AuditEntriesAsync()).Count.ShouldBe(copied.Count + 1 + moved.Count, "the row the trail already held is not moved twice");
        (await TableExistsAsync("SecurityEvents")).ShouldBeFalse();

        // Found by the trail's search, and as append-only as any entry.
        await using var db = await App.OpenDbAsync();
        (await db.AuditEntryIdsMatching("10.0.0.9").ToListAsync(TestContext.Current.CancellationToken)).ShouldBe([moved[1].Id]);
        await using var update = new SqliteConnection(App.ConnectionString);
        await update.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = update.CreateCommand();
        command.CommandText = $"UPDATE AuditEntries SET Detail = 'changed' WHERE Id = {moved[0].Id}";
        (await Should.ThrowAsync<SqliteException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken))).Message.ShouldContain("append-only");
    }

    [Fact]
    public async Task Should_leave_the_moved_entries_in_the_trail_when_the_fold_is_rolled_back()
    {
        await App.CreateUser("Ada", "ada@example.com");
        var entries = (await App.AuditEntriesAsync()).Count;

        await MigrateToBeforeTheFoldAsync();

        (await TableExistsAsync("SecurityEvents")).ShouldBeTrue("the table comes back, empty");
        (await App.AuditEntriesAsync()).Count.ShouldBe(entries);
    }

    private async Task MigrateToBeforeTheFoldAsync()
    {
        await using var db = await App.OpenDbAsync();
        var migrations = db.Database.GetMigrations().ToList();
        var fold = migrations.Single(m => m.EndsWith($"_{nameof(FoldSecurityEventsIntoAuditTrail)}", StringComparison.Ordinal));
        await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.IndexOf(fold) - 1], TestContext.Current.CancellationToken);
    }

    private static async Task InsertAsync(
        SqliteConnection connection, string type, DateTime at, Guid? userId, string? email, Guid? actorId, string? ipAddress, string detail)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO SecurityEvents (Id, OccurredAt, Type, UserId, Email, ActorId, IpAddress, Detail)
            VALUES ($id, $at, $type, $user, $email, $actor, $ip, $detail)
            """;
        command.Parameters.AddWithValue("$id", Guid.CreateVersion7().ToString().ToUpperInvariant());
        command.Parameters.AddWithValue("$at", at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$type", type);
        command.Parameters.AddWithValue("$user", (object?)userId?.ToString().ToUpperInvariant() ?? DBNull.Value);
        command.Parameters.AddWithValue("$email", (object?)email ?? DBNull.Value);
        command.Parameters.AddWithValue("$actor", (object?)actorId?.ToString().ToUpperInvariant() ?? DBNull.Value);
        command.Parameters.AddWithValue("$ip", (object?)ipAddress ?? DBNull.Value);
        command.Parameters.AddWithValue("$detail", detail);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The entry the save wrote for a security event since the trail began (no user: the same time and action).</summary>
    private static async Task InsertCopyAsync(SqliteConnection connection, DateTime at, string action)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO AuditEntries (OccurredAt, ActorName, Action, CorrelationId, Changes, Detail)
            VALUES ($at, 'anonymous', $action, 'copied', '[]', 'copied by the save that wrote it')
            """;
        command.Parameters.AddWithValue("$at", at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$action", action);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private async Task<bool> TableExistsAsync(string name)
    {
        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", name);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))! > 0;
    }
}

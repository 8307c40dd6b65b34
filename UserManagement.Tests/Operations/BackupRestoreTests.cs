using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Sqlite;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Operations;

public sealed class BackupRestoreTests : IAsyncLifetime
{
    private readonly HostSandbox _sandbox = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private static async Task<Dictionary<Guid, (string Name, string Email)>> UsersIn(string dataFile)
    {
        await using var connection = new SqliteConnection($"Data Source={dataFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, Name, Email FROM Users";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var users = new Dictionary<Guid, (string, string)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            users[Guid.Parse(reader.GetString(0))] = (reader.GetString(1), reader.GetString(2));
        }

        return users;
    }

    [Fact]
    public async Task Should_copy_everything_committed_before_it_began_while_writers_go_on_writing()
    {
        await using var app = await TestApp.StartAsync();
        var acknowledged = new ConcurrentDictionary<Guid, (string Name, string Email)>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var (name, email) = ($"Writer {writer} number {n}", $"w{writer}.n{n}@backup.example");
                var created = await app.SendFromNewScope(new CreateUserCommand(name, email, UserRole.Member));
                if (created.IsSuccess)
                {
                    acknowledged[created.Value] = (name, email);
                }
            }
        })).ToList();
        await Condition.WaitUntilAsync(() => acknowledged.Count >= 40, TimeSpan.FromSeconds(60), "40 acknowledged creates");

        var before = acknowledged.ToArray();
        var summary = DatabaseBackup.Backup(app.ConnectionString, _sandbox.PathOf("live.backup"));
        var countAfterBackup = acknowledged.Count;
        await Condition.WaitUntilAsync(() => acknowledged.Count >= countAfterBackup + 10, TimeSpan.FromSeconds(60), "writers to go on after the backup");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        summary.File.ShouldBe(_sandbox.PathOf("live.backup"));
        File.Exists(summary.File + "-wal").ShouldBeFalse("a backup is one self-contained file");
        var copied = await UsersIn(summary.File);
        foreach (var (id, values) in before)
        {
            copied.ShouldContainKey(id);
            copied[id].ShouldBe(values);
        }

        copied.Count.ShouldBeLessThan(acknowledged.Count, "the copy is a snapshot; later writes are not in it");
        foreach (var (id, values) in copied)
        {
            acknowledged[id].ShouldBe(values, "every row in the copy is a committed create, whole");
        }

        summary.RowsByTable["Users"].ShouldBe(copied.Count);
        DatabaseBackup.Verify(summary.File).Migrations.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Should_bring_back_what_was_backed_up_when_restored_over_a_stopped_app()
    {
        var dataFile = _sandbox.PathOf("app.db");
        var host = _sandbox.Start(dataFile);
        var ada = (await HostSandbox.SendAsAdministrator(host, new CreateUserCommand("Ada", "ada@example.com", UserRole.Member))).Value;
        var grace = (await HostSandbox.SendAsAdministrator(host, new CreateUserCommand("Grace", "grace@example.com", UserRole.Member))).Value;
        var backup = DatabaseBackup.Backup($"Data Source={dataFile}", _sandbox.PathOf("before-changes.backup"));

        var adaNow = (await HostSandbox.SendAsAdministrator(host, new GetUserQuery(ada))).Value;
        (await HostSandbox.SendAsAdministrator(host, new UpdateUserCommand(ada, "Ada Changed", adaNow.Email, adaNow.Role, adaNow.Version))).IsSuccess.ShouldBeTrue();
        var graceNow = (await HostSandbox.SendAsAdministrator(host, new GetUserQuery(grace))).Value;
        (await HostSandbox.SendAsAdministrator(host, new DeleteUserCommand(grace, graceNow.Version))).IsSuccess.ShouldBeTrue();
        (await HostSandbox.SendAsAdministrator(host, new CreateUserCommand("Later", "later@example.com", UserRole.Member))).IsSuccess.ShouldBeTrue();
        await _sandbox.StopAsync(host);

        var outcome = DatabaseBackup.Restore($"Data Source={dataFile}", backup.File, new DateTime(2026, 2, 1, 12, 0, 0, DateTimeKind.Utc));

        outcome.PreviousSavedAs.ShouldBe($"{dataFile}.before-restore-20260201T120000Z");
        (await UsersIn(outcome.PreviousSavedAs!)).Values.Select(u => u.Name).ShouldContain("Ada Changed");
        var restarted = _sandbox.Start(dataFile);
        (await HostSandbox.SendAsAdministrator(restarted, new GetUserQuery(ada))).Value.Name.ShouldBe("Ada");
        (await HostSandbox.SendAsAdministrator(restarted, new GetUserQuery(grace))).Value.Name.ShouldBe("Grace");
        (await HostSandbox.SendAsAdministrator(restarted, new ListUsersQuery(Search: "later"))).Value.TotalCount.ShouldBe(0);
        ((long)(await UsersIn(dataFile)).Count).ShouldBe(backup.RowsByTable["Users"]);
    }

    [Fact]
    public async Task Should_refuse_to_restore_while_the_app_runs_on_the_database()
    {
        var dataFile = _sandbox.PathOf("running.db");
        var host = _sandbox.Start(dataFile);
        var backup = DatabaseBackup.Backup($"Data Source={dataFile}", _sandbox.PathOf("running.backup"));
        (await HostSandbox.SendAsAdministrator(host, new CreateUserCommand("After", "after@example.com", UserRole.Member))).IsSuccess.ShouldBeTrue();

        var refusal = Should.Throw<DatabaseOperationException>(() => DatabaseBackup.Restore($"Data Source={dataFile}", backup.File, DateTime.UtcNow));

        refusal.Message.ShouldContain("The app is running on");
        (await HostSandbox.SendAsAdministrator(host, new ListUsersQuery(Search: "after"))).Value.TotalCount.ShouldBe(1);
        Directory.GetFiles(_sandbox.Directory, "running.db.before-restore-*").ShouldBeEmpty();
    }

    public static TheoryData<string, string> BadBackups => new()
    {
        { "garbage", "cannot be read as a database" },
        { "damaged", "is damaged" },
        { "foreign", "not one of this app" },
        { "newer", "comes from a newer version" },
    };

    [Theory]
    [MemberData(nameof(BadBackups))]
    public async Task Should_refuse_a_backup_that_fails_verification_and_leave_the_database_alone(string kind, string message)
    {
        var dataFile = _sandbox.PathOf("kept.db");
        var host = _sandbox.Start(dataFile);
        (await HostSandbox.SendAsAdministrator(host, new CreateUserCommand("Kept", "kept@example.com", UserRole.Member))).IsSuccess.ShouldBeTrue();
        await _sandbox.StopAsync(host);
        var bad = await MakeBadBackupAsync(kind, dataFile);

        var refusal = Should.Throw<DatabaseOperationException>(() => DatabaseBackup.Restore($"Data Source={dataFile}", bad, DateTime.UtcNow));

        refusal.Message.ShouldContain(message);
        (await UsersIn(dataFile)).Values.Select(u => u.Name).ShouldContain("Kept");
    }

    [Fact]
    public async Task Should_refuse_to_write_over_an_existing_backup()
    {
        await using var app = await TestApp.StartAsync();
        var existing = _sandbox.PathOf("existing.backup");
        await File.WriteAllTextAsync(existing, "keep me", TestContext.Current.CancellationToken);

        Should.Throw<DatabaseOperationException>(() => DatabaseBackup.Backup(app.ConnectionString, existing)).Message.ShouldContain("already exists");
        (await File.ReadAllTextAsync(existing, TestContext.Current.CancellationToken)).ShouldBe("keep me");
    }

    private async Task<string> MakeBadBackupAsync(string kind, string dataFile)
    {
        var path = _sandbox.PathOf($"{kind}.backup");
        switch (kind)
        {
            case "garbage":
                await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 8192).Select(i => (byte)(i * 31))], TestContext.Current.CancellationToken);
                break;
            case "damaged":
                DatabaseBackup.Backup($"Data Source={dataFile}", path);
                await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    // Scribble over the pages after the first: the header survives, the b-trees do not.
                    file.Position = 4096 + 100;
                    await file.WriteAsync(Enumerable.Repeat((byte)0x5A, 2 * 4096).ToArray(), TestContext.Current.CancellationToken);
                }

                break;
            case "foreign":
                await using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
                {
                    await other.OpenAsync(TestContext.Current.CancellationToken);
                    await using var create = other.CreateCommand();
                    create.CommandText = "CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Text TEXT)";
                    await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
                }

                break;
            case "newer":
                DatabaseBackup.Backup($"Data Source={dataFile}", path);
                await using (var newer = new SqliteConnection($"Data Source={path};Pooling=False"))
                {
                    await newer.OpenAsync(TestContext.Current.CancellationToken);
                    await using var insert = newer.CreateCommand();
                    insert.CommandText = "INSERT INTO __EFMigrationsHistory (MigrationId, ProductVersion) VALUES ('29991231000000_FromTheFuture', '99.0.0')";
                    await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
                }

                break;
        }

        SqliteConnection.ClearAllPools();
        return path;
    }
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Operations;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>
/// Issue 11, fault 8, at the handlers: the database goes away (its files moved off, made read-only, the disk
/// full). Every message gets a clear "busy or unreachable, try again" instead of an exception, nothing else is
/// harmed, the readiness check reports it, and everything works again once the fault is gone. The pages'
/// side is in <see cref="DatabaseGonePageTests"/>.
/// </summary>
public sealed class DatabaseGoneTests : IAsyncLifetime
{
    private readonly DiskQuota _quota = new();
    private TestApp _app = null!;

    private string DataFile => new SqliteConnectionStringBuilder(_app.ConnectionString).DataSource;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(configureServices: _quota.AddTo);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<HealthStatus> ReadinessAsync() =>
        (await _app.Get<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(HealthTags.Ready), TestContext.Current.CancellationToken)).Status;

    private Task<Result<Guid>> Create(string name) =>
        _app.SendFromNewScope(new CreateUserCommand(name, $"{Guid.NewGuid():N}@gone.example", UserRole.Member));

    [Fact]
    public async Task Should_say_the_database_is_unavailable_create_no_empty_one_and_recover_when_its_files_come_back()
    {
        var ada = await _app.CreateUser("Ada", "ada@example.com");
        var elsewhere = Path.Combine(_app.Directory, "moved-away.db");

        DatabaseFiles.Move(DataFile, elsewhere);

        (await Create("Nobody")).Error.ShouldBe(UnavailableError.ForCommand);
        (await _app.SendFromNewScope(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, ada.Role, ada.Version))).Error.ShouldBe(UnavailableError.ForCommand);
        (await _app.Send(new GetUserQuery(ada.Id))).Error.ShouldBe(UnavailableError.ForQuery);
        (await _app.Send(new ListUsersQuery())).Error.ShouldBe(UnavailableError.ForQuery);
        (await ReadinessAsync()).ShouldBe(HealthStatus.Unhealthy);
        File.Exists(DataFile).ShouldBeFalse("an empty database in its place would hide the loss");
        _app.Logs.Lines.ShouldContain(line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("could not reach the database", StringComparison.Ordinal));

        DatabaseFiles.Move(elsewhere, DataFile);

        (await ReadinessAsync()).ShouldBe(HealthStatus.Healthy);
        (await Create("Back again")).ShouldSucceed();
        (await _app.Send(new GetUserQuery(ada.Id))).ShouldSucceed().Name.ShouldBe("Ada");
        (await _app.Send(new ListUsersQuery())).ShouldSucceed().TotalCount.ShouldBe(2);
    }

    [Fact]
    public async Task Should_refuse_writes_but_still_serve_reads_while_the_files_are_read_only_and_recover()
    {
        var ada = await _app.CreateUser("Ada", "ada@example.com");

        using (var readOnly = ReadOnlyFiles.TryMake(DataFile, DataFile + "-wal"))
        {
            Assert.SkipWhen(readOnly is null, "This filesystem cannot make a file read-only for this user.");
            // Connections opened before keep the write handles they had; the next ones open read-only.
            SqliteConnection.ClearPool(new SqliteConnection(_app.ConnectionString));

            (await Create("Nobody")).Error.ShouldBe(UnavailableError.ForCommand);
            (await _app.Send(new GetUserQuery(ada.Id))).ShouldSucceed().ShouldBe(ada);
            (await _app.Send(new ListUsersQuery())).ShouldSucceed().TotalCount.ShouldBe(1);
            (await ReadinessAsync()).ShouldBe(HealthStatus.Unhealthy);
        }

        SqliteConnection.ClearPool(new SqliteConnection(_app.ConnectionString));
        (await ReadinessAsync()).ShouldBe(HealthStatus.Healthy);
        (await Create("Writable again")).ShouldSucceed();
        (await _app.StoredUsersAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Should_refuse_writes_when_the_disk_is_full_keep_every_saved_change_and_recover()
    {
        var saved = new List<Guid> { (await _app.CreateUser("Ada", "ada@example.com")).Id };

        _quota.Full = true;
        Result<Guid>? refused = null;
        for (var i = 0; i < 500 && refused is null; i++)
        {
            var created = await Create($"Filler {i}");
            if (created.IsSuccess)
            {
                saved.Add(created.Value);
            }
            else
            {
                refused = created;
            }
        }

        refused.ShouldNotBeNull("within 500 users a write needs a new page");
        refused.Error.ShouldBe(UnavailableError.ForCommand);
        (await ReadinessAsync()).ShouldBe(HealthStatus.Unhealthy);
        (await _app.Send(new ListUsersQuery())).ShouldSucceed().TotalCount.ShouldBe(saved.Count);

        _quota.Full = false;

        (await ReadinessAsync()).ShouldBe(HealthStatus.Healthy);
        saved.Add((await Create("Room again")).ShouldSucceed());
        (await _app.StoredUsersAsync()).Select(u => u.Id).ShouldBe(saved, ignoreOrder: true);
    }
}

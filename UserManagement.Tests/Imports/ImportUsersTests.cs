using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Imports;

/// <summary>The import's background work through the real bus (durable local queue on the test's SQLite file).</summary>
public sealed class ImportUsersTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(bus: true);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Should_create_every_valid_row_in_the_background_and_complete_the_job()
    {
        var started = await _app.Send(new StartImportCommand("people.csv", ImportFiles.ValidRows(1_234)));
        started.IsSuccess.ShouldBeTrue(started.ToString());

        var job = await _app.WaitUntilFinishedAsync(started.Value);

        job.Status.ShouldBe(JobStatus.Completed, job.LastError);
        job.Done.ShouldBe(1_234);
        job.Total.ShouldBe(1_234);
        job.Summary.ShouldBe("Created 1,234 users.");
        job.RequestedBy.ShouldBe(TestCurrentUser.Administrator.Email);
        var users = await _app.StoredUsersAsync();
        users.Count.ShouldBe(1_234);
        users.Count(u => u.Role == UserRole.Administrator).ShouldBe(123);
        await using var db = await _app.OpenDbAsync();
        (await db.ImportRows.CountAsync(r => r.Outcome == ImportRowOutcome.Created && r.UserId != null, TestContext.Current.CancellationToken)).ShouldBe(1_234);
    }
}

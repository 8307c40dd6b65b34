using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Audit;
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

    [Fact]
    public async Task Should_log_a_summary_per_batch_at_information_and_each_created_user_at_debug()
    {
        var started = await _app.Send(new StartImportCommand("people.csv", ImportFiles.ValidRows(1_234)));
        started.IsSuccess.ShouldBeTrue(started.ToString());

        var job = await _app.WaitUntilFinishedAsync(started.Value);

        job.Status.ShouldBe(JobStatus.Completed, job.LastError);
        var created = _app.Logs.Records.Where(r => r.EventId.Id == AuditLog.EventIdOf(AuditActions.UserCreated)).ToList();
        created.Count(r => r.Level == LogLevel.Debug).ShouldBe(1_234);
        var summaries = created.Where(r => r.Level == LogLevel.Information).ToList();
        summaries.Count.ShouldBe((int)Math.Ceiling(1_234 / (double)ImportUsersJobHandler.BatchSize));
        summaries.Sum(r => Convert.ToInt32(r.Values["Count"], CultureInfo.InvariantCulture)).ShouldBe(1_234);
        summaries.ShouldAllBe(r => (string?)r.Values["CorrelationId"] == JobRunner.CorrelationId(started.Value)
            && (string?)r.Values["ActorName"] == TestCurrentUser.Administrator.Email);
    }
}

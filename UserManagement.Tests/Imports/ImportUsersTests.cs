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
    private UserDetails _requester = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync(bus: true);
        _requester = await _app.ActAsStoredAdministratorAsync();
    }

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
        var users = (await _app.StoredUsersAsync()).Where(u => u.Id != _requester.Id).ToList();
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
        var created = _app.Logs.Records.Where(r => r.EventId.Id == AuditLog.EventIdOf(AuditActions.UserCreated)
            && (string?)r.Values["CorrelationId"] == JobRunner.CorrelationId(started.Value)).ToList();
        created.Count(r => r.Level == LogLevel.Debug).ShouldBe(1_234);
        var summaries = created.Where(r => r.Level == LogLevel.Information).ToList();
        summaries.Count.ShouldBe((int)Math.Ceiling(1_234 / (double)ImportUsersJobHandler.BatchSize));
        summaries.Sum(r => Convert.ToInt32(r.Values["Count"], CultureInfo.InvariantCulture)).ShouldBe(1_234);
        summaries.ShouldAllBe(r => (string?)r.Values["CorrelationId"] == JobRunner.CorrelationId(started.Value)
            && (string?)r.Values["ActorName"] == TestCurrentUser.Administrator.Email);
    }

    [Fact]
    public async Task Should_keep_the_file_name_as_the_jobs_title_without_direction_overrides_or_control_characters()
    {
        // "people", U+202E, "exe.csv" would read as "peoplevsc.exe" on the jobs page.
        var started = await _app.Send(new StartImportCommand("\u2067people\u202Eexe.csv\u202C\u0007\u2069", ImportFiles.ValidRows(2)));
        started.IsSuccess.ShouldBeTrue(started.ToString());

        var job = await _app.WaitUntilFinishedAsync(started.Value);

        job.Title.ShouldBe("peopleexe.csv");
        (await _app.Send(new GetJobQuery(started.Value))).ShouldSucceed().Job.Title.ShouldBe("peopleexe.csv");
        (await _app.AuditEntriesAsync()).Where(e => e.CorrelationId == JobRunner.CorrelationId(started.Value) && e.Detail != null)
            .ShouldAllBe(e => !UserRules.HasForbiddenCharacters(e.Detail!));
    }

    [Fact]
    public void Should_strip_what_a_name_may_not_hold_from_a_jobs_title()
    {
        (string Given, string Shown)[] cases =
        [
            ("\u202E\u202C", Job.UntitledTitle),
            ("  a\tb\u0000c.csv ", "abc.csv"),
            ("caf\u00E9 \uD83D\uDE00.csv", "caf\u00E9 \uD83D\uDE00.csv"),
            ("broken\uD83D.csv", "broken.csv"),
            ("\uDE00broken.csv", "broken.csv"),
        ];

        foreach (var (given, shown) in cases)
        {
            Job.Create(JobKind.UserImport, given, Guid.CreateVersion7(), "ana@example.com", 1, TestApp.Start.UtcDateTime).Title.ShouldBe(shown);
        }
    }
}

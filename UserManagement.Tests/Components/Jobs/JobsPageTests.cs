using Bunit;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Components.Jobs;

public sealed class JobsPageTests : ComponentTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The dead letters come from the bus's store.</summary>
    protected override bool WithBus => true;

    private async Task<Job> StoreJob(int total = 1_000, Action<Job>? change = null)
    {
        var job = Job.Create(JobKind.UserImport, "people.csv", TestCurrentUser.Administrator.UserId, "boss@example.com", total, Clock.GetUtcNow().UtcDateTime);
        change?.Invoke(job);
        await using var db = await App.OpenDbAsync();
        db.Jobs.Add(job);
        await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        return job;
    }

    private async Task Update(Guid jobId, Action<Job> change)
    {
        await using var db = await App.OpenDbAsync();
        var job = db.Jobs.Single(j => j.Id == jobId);
        change(job);
        await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Should_list_jobs_and_follow_their_progress_by_itself()
    {
        var job = await StoreJob();
        var cut = Open("/jobs");
        cut.WaitForAssertion(() => cut.Find("[data-testid=job]").TextContent.ShouldContain("Queued"), Patience);
        cut.Find("[data-testid=job]").TextContent.ShouldContain("boss@example.com");
        cut.Find("[data-testid=job]").TextContent.ShouldContain("Import: people.csv");

        await Update(job.Id, j =>
        {
            j.Begin(Clock.GetUtcNow().UtcDateTime);
            j.Record(250, 0, 0);
        });
        WaitUntil(cut, 1_000, () => cut.Find("[data-testid=job-counts]").TextContent.ShouldBe("250 of 1,000 rows"));
        cut.Find("[data-testid=job-status]").TextContent.ShouldBe("Running");

        await Update(job.Id, j =>
        {
            j.Record(750, 0, 0);
            j.Complete("Created 1,000 users.", Clock.GetUtcNow().UtcDateTime);
        });
        WaitUntil(cut, 1_000, () => cut.Find("[data-testid=job-result]").TextContent.ShouldBe("Created 1,000 users."));
        cut.Find("[data-testid=job-status]").TextContent.ShouldBe("Completed");
    }

    [Fact]
    public async Task Should_show_a_dead_letter_with_its_error_and_retry_it()
    {
        var job = await StoreJob(change: j => j.GiveUp("SqliteException: disk on fire", Clock.GetUtcNow().UtcDateTime));
        var letter = new DeadLetter(Guid.CreateVersion7(), "ImportUsersJob", job.Id, "DbUpdateException", "SqliteException: disk on fire", Clock.GetUtcNow().UtcDateTime);
        Sender.Override<ListDeadLettersQuery>(_ => Result<IReadOnlyList<DeadLetter>>.Success([letter]));
        Sender.Override<RetryDeadLetterCommand>(_ => Result.Success());
        var cut = Open("/jobs");
        cut.WaitForAssertion(() => cut.Find("[data-testid=dead-letter-error]").TextContent.ShouldBe("SqliteException: disk on fire"), Patience);
        cut.Find("[data-testid=dead-letter] a").GetAttribute("href").ShouldBe($"jobs/{job.Id}");

        await cut.ClickButton("Retry");

        Sender.SentOf<RetryDeadLetterCommand>().ShouldHaveSingleItem().DeadLetterId.ShouldBe(letter.Id);
        cut.WaitForAssertion(() => cut.FindAll(".mud-snackbar").Select(e => e.TextContent)
            .ShouldContain(t => t.Contains("Sent back to the worker.")), Patience);
    }

    [Fact]
    public void Should_say_so_when_there_are_no_jobs_or_dead_letters()
    {
        var cut = Open("/jobs");

        cut.WaitForAssertion(() => cut.Find("[data-testid=no-jobs]").TextContent.ShouldContain("No jobs yet."), Patience);
        cut.Find("[data-testid=no-dead-letters]").TextContent.ShouldStartWith("None.");
    }

    [Fact]
    public async Task Should_show_a_jobs_rows_and_cancel_it_after_confirming()
    {
        var job = await StoreJob(change: j => j.Begin(Clock.GetUtcNow().UtcDateTime));
        var cut = Open($"/jobs/{job.Id}");
        cut.WaitForAssertion(() => cut.Find("[data-testid=job-status]").TextContent.ShouldBe("Running"), Patience);
        cut.Find("[data-testid=not-created-empty]").TextContent.ShouldBe("None so far.");

        await cut.ClickButton("Cancel job");
        cut.WaitForAssertion(() => cut.Find("[data-testid=confirm-message]").TextContent.ShouldContain("The users created so far stay."), Patience);
        await cut.ConfirmDialogAsync();

        cut.WaitForAssertion(() => cut.Find("[data-testid=job-status]").TextContent.ShouldBe("Cancelling"), Patience);
        await using var db = await App.OpenDbAsync();
        db.Jobs.Single(j => j.Id == job.Id).CancellationRequested.ShouldBeTrue();
        cut.FindAll("button").ShouldNotContain(b => b.TextContent.Trim() == "Cancel job");
    }

    [Fact]
    public void Should_show_the_rate_and_time_left_of_a_running_job()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var job = new JobListItem(Guid.CreateVersion7(), JobKind.UserImport, "people.csv", "boss@example.com", now.AddSeconds(-20),
            JobStatus.Running, 1_000, 480, 20, 0, now.AddSeconds(-10), null, null, false, 1, null);

        var cut = Render<UserManagement.Web.Components.Pages.Jobs.JobProgress>(p => p.Add(c => c.Job, job).Add(c => c.Now, now));

        cut.Find("[data-testid=job-counts]").TextContent.ShouldBe("500 of 1,000 rows (20 skipped)");
        cut.Find("[data-testid=job-rate]").TextContent.ShouldBe("50 rows/s · about 10 s left");
        cut.Find("[role=progressbar]").GetAttribute("aria-valuenow").ShouldBe("50");
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Imports;

/// <summary>
/// At-least-once delivery with an effect of once: redelivery, retries with dead-lettering and replay, and cancel.
/// Failures are real: a SQLite trigger refuses chosen rows, as a database error would.
/// </summary>
public sealed class ImportReliabilityTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> QuickRetries = new()
    {
        ["Bus:RetryDelays:0"] = "00:00:00.050",
        ["Bus:RetryDelays:1"] = "00:00:00.050",
        ["Bus:RetryDelays:2"] = "00:00:00.050",
    };

    private TestApp _app = null!;
    private UserDetails _requester = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync(bus: true, QuickRetries);
        _requester = await _app.ActAsStoredAdministratorAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<Guid> StartImport(int rows)
    {
        var started = await _app.Send(new StartImportCommand("people.csv", ImportFiles.ValidRows(rows)));
        started.IsSuccess.ShouldBeTrue(started.ToString());
        return started.Value;
    }

    /// <summary>
    /// Starts an app whose worker retries many times quickly (then waits long), so that a test can change things
    /// between the retries of a held row.
    /// </summary>
    private static async Task<TestApp> StartPatientApp()
    {
        var app = await TestApp.StartAsync(bus: true, JobWaiting.PatientRetries);
        await app.ActAsStoredAdministratorAsync();
        return app;
    }

    /// <summary>Makes inserting a user whose email starts with <paramref name="emailPrefix"/> fail while <paramref name="condition"/> holds.</summary>
    private static async Task RefuseUser(TestApp app, string emailPrefix, string condition = "1")
    {
        await using var db = await app.OpenDbAsync();
        var sql = "CREATE TRIGGER refuse_user BEFORE INSERT ON Users WHEN NEW.Email LIKE '" + emailPrefix + "%' AND (" + condition
            + ") BEGIN SELECT RAISE(ABORT, 'disk on fire (test)'); END;";
        await db.Database.ExecuteSqlRawAsync(sql, TestContext.Current.CancellationToken);
    }

    private Task RefuseUser(string emailPrefix) => RefuseUser(_app, emailPrefix);

    private async Task StopRefusing()
    {
        await using var db = await _app.OpenDbAsync();
        await db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse_user;", TestContext.Current.CancellationToken);
    }

    /// <summary>The users the imports created (not the stored administrator who asked for them).</summary>
    private static async Task<List<User>> ImportedUsers(TestApp app) =>
        [.. (await app.StoredUsersAsync()).Where(u => u.Email.EndsWith(".import@example.com", StringComparison.Ordinal))];

    private async Task<int> CreatedRows(Guid jobId)
    {
        await using var db = await _app.OpenDbAsync();
        return await db.ImportRows.CountAsync(r => r.JobId == jobId && r.Outcome == ImportRowOutcome.Created, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Should_create_each_user_once_when_the_same_message_is_handled_again_and_at_the_same_time()
    {
        var jobId = await StartImport(1_500);
        var handler = ActivatorUtilities.CreateInstance<ImportUsersJobHandler>(_app.Services);

        // The bus is handling it already; two more deliveries race with it, and one comes after it finished.
        await Task.WhenAll(
            handler.Handle(new ImportUsersJob(jobId), TestContext.Current.CancellationToken),
            handler.Handle(new ImportUsersJob(jobId), TestContext.Current.CancellationToken));
        await _app.WaitUntilFinishedAsync(jobId);
        await handler.Handle(new ImportUsersJob(jobId), TestContext.Current.CancellationToken);

        var users = await ImportedUsers(_app);
        users.Count.ShouldBe(1_500);
        users.Select(u => u.NormalizedEmail).Distinct().Count().ShouldBe(1_500);
        var job = await _app.WaitUntilFinishedAsync(jobId);
        job.Status.ShouldBe(JobStatus.Completed);
        (job.Done, job.Skipped, job.Failed).ShouldBe((1_500, 0, 0));
    }

    [Fact]
    public async Task Should_retry_then_dead_letter_and_finish_the_job_when_an_administrator_retries_it()
    {
        await RefuseUser("person700.");
        var jobId = await StartImport(1_000);

        var failed = await _app.WaitForJobAsync(jobId, j => j.Status == JobStatus.Failed, "failed");

        failed.Attempts.ShouldBe(4, $"the first delivery and three retries; {failed.LastError}");
        failed.Done.ShouldBe(500, "the first batch was committed before the failing one");
        failed.LastError.ShouldNotBeNull().ShouldContain("disk on fire (test)");
        var deadLetter = (await _app.Send(new ListDeadLettersQuery())).Value.ShouldHaveSingleItem();
        deadLetter.JobId.ShouldBe(jobId);
        deadLetter.MessageType.ShouldBe(nameof(ImportUsersJob));
        deadLetter.Error.ShouldContain("disk on fire (test)");

        await StopRefusing();
        (await _app.Send(new RetryDeadLetterCommand(deadLetter.Id))).IsSuccess.ShouldBeTrue();
        var retried = (await _app.AuditEntriesAsync()).Where(e => e.Action == AuditActions.DeadLetterRetried).ShouldHaveSingleItem();
        (retried.ActorId, retried.CorrelationId).ShouldBe((_requester.Id, JobRunner.CorrelationId(jobId)), "who retried it, in the job's trail");
        retried.Detail.ShouldBe($"ImportUsersJob ({deadLetter.Id:N}) put back on its queue; job {jobId:N}.");

        var done = await _app.WaitForJobAsync(jobId, j => j.Status == JobStatus.Completed, "completed");
        (done.Done, done.Attempts, done.LastError).ShouldBe((1_000, 5, null));
        (await ImportedUsers(_app)).Count.ShouldBe(1_000);
        (await CreatedRows(jobId)).ShouldBe(1_000);
        (await _app.Send(new ListDeadLettersQuery())).Value.ShouldBeEmpty();
        (await _app.Send(new RetryDeadLetterCommand(deadLetter.Id))).Error.ShouldBeOfType<NotFoundError>();
    }

    [Fact]
    public async Task Should_discard_a_dead_letter_and_keep_the_job_failed_with_what_it_did()
    {
        await RefuseUser("person1.");
        var jobId = await StartImport(10);
        await _app.WaitForJobAsync(jobId, j => j.Status == JobStatus.Failed, "failed");
        var deadLetter = (await _app.Send(new ListDeadLettersQuery())).Value.ShouldHaveSingleItem();

        (await _app.Send(new DiscardDeadLetterCommand(deadLetter.Id))).IsSuccess.ShouldBeTrue();

        (await _app.Send(new ListDeadLettersQuery())).Value.ShouldBeEmpty();
        var discarded = (await _app.AuditEntriesAsync()).Where(e => e.Action == AuditActions.DeadLetterDiscarded).ShouldHaveSingleItem();
        (discarded.ActorId, discarded.CorrelationId).ShouldBe((_requester.Id, JobRunner.CorrelationId(jobId)));
        discarded.Detail.ShouldBe($"ImportUsersJob ({deadLetter.Id:N}) deleted for good; job {jobId:N}.");
        var job = (await _app.Send(new GetJobQuery(jobId))).Value.Job;
        (job.Status, job.Done).ShouldBe((JobStatus.Failed, 0));
        (await _app.Send(new DiscardDeadLetterCommand(deadLetter.Id))).Error.ShouldBeOfType<NotFoundError>();
    }

    [Fact]
    public async Task Should_cancel_a_failed_job_at_once_as_whoever_cancelled_it_in_the_jobs_trail()
    {
        await RefuseUser("person1.");
        var jobId = await StartImport(10);
        await _app.WaitForJobAsync(jobId, j => j.Status == JobStatus.Failed, "failed");
        var ben = await _app.CreateUser("Ben", "ben@example.com", UserRole.Administrator);
        _app.Caller.ActAs(ben);

        (await _app.Send(new CancelJobCommand(jobId))).IsSuccess.ShouldBeTrue();

        (await _app.Send(new GetJobQuery(jobId))).Value.Job.Status.ShouldBe(JobStatus.Cancelled);
        var cancelled = (await _app.AuditEntriesAsync()).Where(e => e.Action == AuditActions.JobCancelled).ShouldHaveSingleItem();
        (cancelled.ActorId, cancelled.ActorName, cancelled.CorrelationId).ShouldBe((ben.Id, "ben@example.com", JobRunner.CorrelationId(jobId)));
    }

    [Fact]
    public async Task Should_stop_after_the_current_batch_on_cancel_and_keep_what_was_imported()
    {
        // Row 700 fails until the job is asked to cancel: the worker is certainly mid-import when the cancel lands.
        await using var app = await StartPatientApp();
        await RefuseUser(app, "person700.", "NOT EXISTS (SELECT 1 FROM Jobs WHERE CancellationRequested)");
        var jobId = (await app.Send(new StartImportCommand("people.csv", ImportFiles.ValidRows(1_000)))).Value;
        await app.WaitForJobAsync(jobId, j => j.Done == 500 && j.LastError != null, "held after the first batch");
        var ben = await app.CreateUser("Ben", "ben@example.com", UserRole.Administrator);
        app.Caller.ActAs(ben);

        (await app.Send(new CancelJobCommand(jobId))).IsSuccess.ShouldBeTrue();

        var job = await app.WaitForJobAsync(jobId, j => j.IsFinished, "cancelled");
        var cancelled = (await app.AuditEntriesAsync()).Where(e => e.Action == AuditActions.JobCancelled).ShouldHaveSingleItem();
        (cancelled.ActorId, cancelled.ActorName, cancelled.CorrelationId).ShouldBe(
            (ben.Id, "ben@example.com", JobRunner.CorrelationId(jobId)), "the cancel is Ben's, not the requester's");
        (job.CancellationRequestedById, job.CancellationRequestedBy).ShouldBe((ben.Id, "ben@example.com"));
        job.Status.ShouldBe(JobStatus.Cancelled);
        job.Done.ShouldBe(500);
        job.Summary.ShouldBe("Cancelled. The 500 users created before the cancel stay; 500 rows were not imported.");
        (await ImportedUsers(app)).Count.ShouldBe(500);
        (await app.Send(new CancelJobCommand(jobId))).Error.ShouldBeOfType<ValidationError>()
            .MessagesFor(nameof(CancelJobCommand.JobId)).ShouldBe([CancelJobCommandHandler.AlreadyFinished]);
    }

    [Fact]
    public async Task Should_skip_a_row_whose_email_was_taken_after_the_import_was_accepted()
    {
        // The first batch fails until someone else takes row 3's email, which happens while the import waits to retry.
        await using var app = await StartPatientApp();
        await RefuseUser(app, "person1.", "NOT EXISTS (SELECT 1 FROM Users WHERE Name = 'Someone else')");
        var jobId = (await app.Send(new StartImportCommand("people.csv", ImportFiles.ValidRows(3)))).Value;
        await app.WaitForJobAsync(jobId, j => j.LastError != null, "held");

        await app.CreateUser("Someone else", "person3.import@example.com");

        var job = await app.WaitForJobAsync(jobId, j => j.IsFinished, "finished");
        (job.Status, job.Done, job.Skipped).ShouldBe((JobStatus.Completed, 2, 1));
        job.Summary.ShouldBe("Created 2 users. Skipped 1 rows whose email another user has by now.");
        var details = (await app.Send(new GetJobQuery(jobId))).Value;
        var skipped = details.NotCreated.ShouldHaveSingleItem();
        (skipped.Line, skipped.Outcome, skipped.Reason).ShouldBe((4, ImportRowOutcome.Skipped, UserValidationRules.DuplicateEmailMessage));
        details.Created.Select(r => r.Line).ShouldBe([2, 3]);
    }
}

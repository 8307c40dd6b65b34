using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Jobs;

/// <summary>
/// A job works only for an administrator who may still do its work: without that, an import goes on creating users in
/// the name of an administrator disabled meanwhile. The runner asks <see cref="JobRequester"/> before every batch.
/// </summary>
public sealed class JobRequesterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Should_stop_an_import_when_its_requester_is_disabled_mid_job_and_say_why()
    {
        // Row 700 (in the second batch) cannot be created while Ana is active: the worker is certainly mid-import,
        // retrying, when she is disabled.
        await using var app = await TestApp.StartAsync(bus: true, JobWaiting.PatientRetries);
        var ben = await app.CreateUser("Ben", "ben@example.com", UserRole.Administrator);
        var ana = await app.ActAsStoredAdministratorAsync("ana@example.com");
        await using (var db = await app.OpenDbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER hold_row BEFORE INSERT ON Users WHEN NEW.Email LIKE 'person700.%' "
                + "AND EXISTS (SELECT 1 FROM Users WHERE Email = 'ana@example.com' AND Status = 'Active') BEGIN SELECT RAISE(ABORT, 'held (test)'); END;", Ct);
        }

        var jobId = (await app.Send(new StartImportCommand("people.csv", ImportFiles.ValidRows(1_000)))).ShouldSucceed();
        await app.WaitForJobAsync(jobId, j => j.Done == 500 && j.LastError != null, "held after the first batch");

        app.Caller.ActAs(ben);
        (await app.Send(new SetUserStatusCommand(ana.Id, UserStatus.Disabled, ana.Version))).ShouldSucceed();

        var job = await app.WaitForJobAsync(jobId, j => j.IsFinished, "stopped");
        const string Why = "Stopped because ana@example.com was disabled: a job works only for an administrator who may still do its work. "
            + "The 500 users created before it stopped stay; 500 rows were not imported.";
        (job.Status, job.Done, job.Summary).ShouldBe((JobStatus.Cancelled, 500, Why));
        (await app.Send(new GetJobQuery(jobId))).ShouldSucceed().Job.Summary.ShouldBe(Why, "the job page shows the summary");
        (await app.StoredUsersAsync()).Count(u => u.Email.EndsWith(".import@example.com", StringComparison.Ordinal)).ShouldBe(500);
        await using (var db = await app.OpenDbAsync())
        {
            (await db.ImportRows.CountAsync(r => r.JobId == jobId && r.Outcome == ImportRowOutcome.Pending, Ct)).ShouldBe(500, "the rows not done stay undone");
        }

        var stopped = (await app.AuditEntriesAsync()).Where(e => e.CorrelationId == JobRunner.CorrelationId(jobId)).Last();
        (stopped.Action, stopped.ActorId, stopped.ActorName).ShouldBe((AuditActions.JobStopped, (Guid?)null, OperationContext.SystemActorName));
        stopped.Detail.ShouldNotBeNull().ShouldContain(Why);
        app.Logs.Records.ShouldContain(r => r.EventId.Id == 2104 && r.Level == LogLevel.Warning && r.Message.Contains("ana@example.com was disabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_let_a_job_go_on_only_for_an_active_administrator_whatever_their_sessions()
    {
        await using var app = await TestApp.StartAsync();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        async Task<string?> WhyNot(UserDetails requester)
        {
            await using var db = await app.OpenDbAsync();
            return await JobRequester.WhyNotAsync(db, Job.Create(JobKind.BulkDisable, "Disable 1 user", requester.Id, requester.Email, 1, now), Ct);
        }

        var active = await app.CreateUser("Active", "active@example.com", UserRole.Administrator);
        var signedOut = await app.CreateUser("Signed Out", "signed-out@example.com", UserRole.Administrator);
        var disabled = await app.CreateUser("Disabled", "disabled@example.com", UserRole.Administrator);
        var demoted = await app.CreateUser("Demoted", "demoted@example.com", UserRole.Administrator);
        var reset = await app.CreateUser("Reset", "reset@example.com", UserRole.Administrator);
        var deleted = await app.CreateUser("Deleted", "deleted@example.com", UserRole.Administrator);
        (await app.Send(new EndUserSessionsCommand(signedOut.Id))).ShouldSucceed();
        (await app.Send(new SetUserStatusCommand(disabled.Id, UserStatus.Disabled, disabled.Version))).ShouldSucceed();
        (await app.Send(new UpdateUserCommand(demoted.Id, demoted.Name, demoted.Email, UserRole.Member, demoted.Version))).ShouldSucceed();
        (await app.Send(new SetTemporaryPasswordCommand(reset.Id, "a temporary passphrase for reset", reset.Version))).ShouldSucceed();
        (await app.Send(new DeleteUserCommand(deleted.Id, deleted.Version))).ShouldSucceed();

        (await WhyNot(active)).ShouldBeNull();
        (await WhyNot(signedOut)).ShouldBeNull("a job outlives its requester's sessions");
        (await WhyNot(disabled)).ShouldBe("disabled@example.com was disabled");
        (await WhyNot(demoted)).ShouldBe("demoted@example.com is no longer an administrator");
        (await WhyNot(reset)).ShouldBe("another administrator set a temporary password for reset@example.com");
        (await WhyNot(deleted)).ShouldBe("deleted@example.com was deleted");
    }
}

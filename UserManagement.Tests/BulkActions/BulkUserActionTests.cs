using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Audit;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.BulkActions;

/// <summary>Bulk actions through the real pipeline and the real bus (durable local queue on the test's SQLite file).</summary>
public sealed class BulkUserActionTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(bus: true);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Stores <paramref name="count"/> members named "Person 001"... directly (quicker than a command each).</summary>
    private static async Task AddMembers(TestApp app, int count, UserStatus status = UserStatus.Active)
    {
        await using var db = await app.OpenDbAsync();
        for (var i = 1; i <= count; i++)
        {
            var user = User.Create($"Person {i:000}", $"person{i:000}@example.com", UserRole.Member, app.Clock.GetUtcNow().UtcDateTime);
            if (status == UserStatus.Disabled)
            {
                user.SetStatus(UserStatus.Disabled, app.Clock.GetUtcNow().UtcDateTime);
            }

            db.Users.Add(user);
        }

        await db.SaveChangesAsync(Ct);
    }

    private async Task<Guid> Start(BulkUserAction action, BulkSelection selection)
    {
        var started = await _app.Send(new StartBulkUserActionCommand(action, selection));
        started.IsSuccess.ShouldBeTrue(started.ToString());
        return started.Value;
    }

    private async Task<List<BulkActionItem>> Items(Guid jobId)
    {
        await using var db = await _app.OpenDbAsync();
        return await db.BulkActionItems.AsNoTracking().Where(i => i.JobId == jobId).OrderBy(i => i.Position).ToListAsync(Ct);
    }

    [Fact]
    public async Task Should_disable_everyone_matching_the_filter_but_yourself_and_audit_each_change_as_you_with_the_job_id()
    {
        var me = await _app.CreateUser("Zed Admin", "zed@example.com", UserRole.Administrator);
        var otherAdmin = await _app.CreateUser("Yan Admin", "yan@example.com", UserRole.Administrator);
        await AddMembers(_app, 3);
        _app.Caller.ActAs(me);
        var everyone = BulkSelection.AllMatching(new UserListFilter());

        var preview = (await _app.Send(new PreviewBulkUserActionQuery(BulkUserAction.Disable, everyone))).Value;
        var jobId = await Start(BulkUserAction.Disable, everyone);
        var job = await _app.WaitUntilFinishedAsync(jobId);

        preview.Count.ShouldBe(5);
        preview.ToChange.ShouldBe(4);
        var skip = preview.Skipped.ShouldHaveSingleItem();
        (skip.Reason, skip.Count).ShouldBe(("You cannot disable your own account.", 1));
        skip.Examples.ShouldBe(["zed@example.com"]);
        job.Status.ShouldBe(JobStatus.Completed, job.LastError);
        (job.Total, job.Done, job.Skipped, job.Failed).ShouldBe((5, 4, 1, 0));
        job.Kind.ShouldBe(JobKind.BulkDisable);
        job.Summary.ShouldBe("Disabled 4 users. Left 1 user alone; see the reasons.");
        var users = await _app.StoredUsersAsync();
        users.Where(u => u.Id != me.Id).ShouldAllBe(u => u.Status == UserStatus.Disabled);
        users.Single(u => u.Id == me.Id).Status.ShouldBe(UserStatus.Active);
        users.Single(u => u.Id == otherAdmin.Id).Status.ShouldBe(UserStatus.Disabled);

        var entries = (await _app.AuditEntriesAsync()).Where(e => e.CorrelationId == JobRunner.CorrelationId(jobId)).ToList();
        entries.Select(e => e.Action).ShouldBe(
            [AuditActions.JobStarted, .. Enumerable.Repeat(AuditActions.UserStatusChanged, 4), AuditActions.JobCompleted]);
        entries.ShouldAllBe(e => e.ActorId == me.Id && e.ActorName == "zed@example.com");
        entries[^1].Detail.ShouldNotBeNull().ShouldContain("Disabled 4 users.");
        (await Items(jobId)).Single(i => i.UserId == me.Id).Reason.ShouldBe("You cannot disable your own account.");
        var page = (await _app.Send(new ListAuditEntriesQuery(new AuditFilter(CorrelationId: JobRunner.CorrelationId(jobId))))).Value;
        page.Items.Select(e => e.Id).ShouldBe(entries.Select(e => e.Id).Reverse(), "the audit page filters by the job's correlation id, newest first");
    }

    [Fact]
    public async Task Should_keep_the_last_active_administrator_and_say_so_before_and_after()
    {
        // The caller is an administrator who is not among the stored users: nothing else keeps one active.
        var root = await _app.CreateUser("Root", "root@example.com", UserRole.Administrator);
        await AddMembers(_app, 2);
        var everyone = BulkSelection.AllMatching(new UserListFilter());

        var preview = (await _app.Send(new PreviewBulkUserActionQuery(BulkUserAction.Disable, everyone))).Value;

        // The runner would stop a job of a requester who is no stored administrator (JobRequester) before any batch,
        // so the batch runs here by itself: its guard is what keeps the last administrator when the requester is
        // someone the rule lets through (delegated roles will let more than Administrators run bulk actions).
        var now = _app.Clock.GetUtcNow().UtcDateTime;
        var job = Job.Create(JobKind.BulkDisable, "Disable 3 users", TestCurrentUser.Administrator.UserId, TestCurrentUser.Administrator.Email, 3, now);
        await using (var db = await _app.OpenDbAsync())
        {
            db.Jobs.Add(job);
            var users = await db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync(Ct);
            db.BulkActionItems.AddRange(users.Select((u, i) => BulkActionItem.Create(job.Id, i + 1, u.Ref)));
            await db.SaveChangesAsync(Ct);
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            (await ActivatorUtilities.CreateInstance<ApplyBulkUserActionJobHandler>(_app.Services).RunBatchAsync(db, job, now, Ct)).ShouldBeTrue();
            await db.SaveChangesAsync(Ct);
            await transaction.CommitAsync(Ct);
        }

        var skip = preview.Skipped.ShouldHaveSingleItem();
        (skip.Reason, skip.Count).ShouldBe((UserGuards.LastAdministrator, 1));
        skip.Examples.ShouldBe(["root@example.com"]);
        (job.Done, job.Skipped).ShouldBe((2, 1));
        (await _app.StoredUsersAsync()).Single(u => u.Id == root.Id).Status.ShouldBe(UserStatus.Active);
        (await Items(job.Id)).Single(i => i.UserId == root.Id).Reason.ShouldBe(UserGuards.LastAdministrator);
    }

    [Fact]
    public async Task Should_activate_only_the_ticked_users_and_leave_the_already_active_alone()
    {
        var requester = await _app.ActAsStoredAdministratorAsync();
        await AddMembers(_app, 3, UserStatus.Disabled);
        var active = await _app.CreateUser("Already Active", "active@example.com");
        var stored = await _app.StoredUsersAsync();
        var ticked = stored.Where(u => u.Name is "Person 001" or "Person 003").Select(u => u.Id).Append(active.Id).ToArray();

        var job = await _app.WaitUntilFinishedAsync(await Start(BulkUserAction.Activate, BulkSelection.Of(ticked)));

        (job.Total, job.Done, job.Skipped).ShouldBe((3, 2, 1));
        var after = await _app.StoredUsersAsync();
        after.Where(u => u.Status == UserStatus.Active && u.Id != requester.Id).Select(u => u.Name)
            .ShouldBe(["Already Active", "Person 001", "Person 003"], ignoreOrder: true);
        (await Items(job.Id)).Single(i => i.UserId == active.Id).Reason.ShouldBe(BulkUserActions.AlreadyActive);
    }

    [Fact]
    public async Task Should_change_each_user_once_when_the_same_message_is_handled_again_and_at_the_same_time()
    {
        await _app.ActAsStoredAdministratorAsync();
        await AddMembers(_app, 450);
        var jobId = await Start(BulkUserAction.Disable, BulkSelection.AllMatching(new UserListFilter(Role: UserRole.Member)));
        var handler = ActivatorUtilities.CreateInstance<ApplyBulkUserActionJobHandler>(_app.Services);

        // The bus is handling it already; two more deliveries race with it, and one comes after it finished.
        await Task.WhenAll(
            handler.Handle(new ApplyBulkUserActionJob(jobId), Ct),
            handler.Handle(new ApplyBulkUserActionJob(jobId), Ct));
        await _app.WaitUntilFinishedAsync(jobId);
        await handler.Handle(new ApplyBulkUserActionJob(jobId), Ct);

        var job = await _app.WaitUntilFinishedAsync(jobId);
        (job.Status, job.Done, job.Skipped).ShouldBe((JobStatus.Completed, 450, 0));
        var changes = (await _app.AuditEntriesAsync())
            .Where(e => e.CorrelationId == JobRunner.CorrelationId(jobId) && e.Action == AuditActions.UserStatusChanged).ToList();
        changes.Count.ShouldBe(450);
        changes.Select(e => e.TargetId).Distinct().Count().ShouldBe(450);
        (await _app.AuditEntriesAsync()).Count(e => e.Action == AuditActions.JobCompleted).ShouldBe(1);
    }

    [Fact]
    public async Task Should_let_the_database_refuse_a_user_twice_in_one_job()
    {
        await _app.ActAsStoredAdministratorAsync();
        await AddMembers(_app, 1);
        var jobId = await Start(BulkUserAction.Activate, BulkSelection.AllMatching(new UserListFilter(Role: UserRole.Member)));
        await _app.WaitUntilFinishedAsync(jobId);
        var user = (await _app.StoredUsersAsync()).Single(u => u.Role == UserRole.Member);

        await using var db = await _app.OpenDbAsync();
        db.BulkActionItems.Add(BulkActionItem.Create(jobId, 2, user.Ref));

        await Should.ThrowAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task Should_refuse_a_bulk_delete_until_the_administrator_enters_their_password_again()
    {
        var requester = await _app.ActAsStoredAdministratorAsync();
        await AddMembers(_app, 2);
        var members = BulkSelection.AllMatching(new UserListFilter(Role: UserRole.Member));

        var job = await _app.WaitUntilFinishedAsync(await Start(BulkUserAction.Delete, members));
        await AddMembers(_app, 1);
        _app.Caller.ActAsNotRecentlyAuthenticated();
        var refused = await _app.Send(new StartBulkUserActionCommand(BulkUserAction.Delete, members));

        (job.Done, job.Summary).ShouldBe((2, "Deleted 2 users."));
        (await _app.AuditEntriesAsync()).Count(e => e.Action == AuditActions.UserDeleted && e.CorrelationId == JobRunner.CorrelationId(job.Id)).ShouldBe(2);
        refused.Error.ShouldBeOfType<ReauthenticationRequiredError>();
        (await _app.StoredUsersAsync()).Where(u => u.Id != requester.Id).ShouldHaveSingleItem().Name.ShouldBe("Person 001");
        await using var db = await _app.OpenDbAsync();
        (await db.Jobs.CountAsync(Ct)).ShouldBe(1, "the refused delete stored no job");
    }

    [Fact]
    public async Task Should_refuse_an_empty_selection_and_both_kinds_at_once()
    {
        (await _app.Send(new StartBulkUserActionCommand(BulkUserAction.Disable, BulkSelection.Of()))).Error.ShouldBeOfType<ValidationError>();
        (await _app.Send(new StartBulkUserActionCommand(BulkUserAction.Disable, new BulkSelection([Guid.NewGuid()], new UserListFilter()))))
            .Error.ShouldBeOfType<ValidationError>();
        (await _app.Send(new StartBulkUserActionCommand(BulkUserAction.Disable, BulkSelection.Of(Guid.NewGuid()))))
            .Error.ShouldBeOfType<ValidationError>().Fields[nameof(StartBulkUserActionCommand.Selection)]
            .ShouldBe([StartBulkUserActionCommandHandler.NoUsers]);
    }

    [Fact]
    public async Task Should_stop_after_the_batch_it_is_on_when_cancelled_and_keep_what_it_changed()
    {
        // Person 250 (in the second batch) cannot be changed until the job is asked to cancel: the worker is
        // certainly mid-job when the cancel lands.
        await using var app = await TestApp.StartAsync(bus: true, new Dictionary<string, string?>
        {
            ["Bus:RetryDelays:0"] = "00:00:00.100",
            ["Bus:RetryDelays:1"] = "00:00:00.100",
            ["Bus:RetryDelays:2"] = "00:00:00.100",
            ["Bus:RetryDelays:3"] = "00:00:00.500",
            ["Bus:RetryDelays:4"] = "00:00:05",
            ["Bus:RetryDelays:5"] = "00:00:30",
        });
        await app.ActAsStoredAdministratorAsync();
        await AddMembers(app, 300);
        await using (var db = await app.OpenDbAsync())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER hold_user BEFORE UPDATE ON Users WHEN NEW.Email = 'person250@example.com' "
                + "AND NOT EXISTS (SELECT 1 FROM Jobs WHERE CancellationRequested) BEGIN SELECT RAISE(ABORT, 'held (test)'); END;", Ct);
        }

        var members = BulkSelection.AllMatching(new UserListFilter(Role: UserRole.Member));
        var jobId = (await app.Send(new StartBulkUserActionCommand(BulkUserAction.Disable, members))).Value;
        await app.WaitForJobAsync(jobId, j => j.Done == ApplyBulkUserActionJobHandler.BatchSize && j.LastError != null, "held after the first batch");

        (await app.Send(new CancelJobCommand(jobId))).IsSuccess.ShouldBeTrue();

        var job = await app.WaitForJobAsync(jobId, j => j.IsFinished, "cancelled");
        job.Status.ShouldBe(JobStatus.Cancelled);
        job.Summary.ShouldBe("Cancelled. The 200 users disabled before the cancel stay disabled; 100 were not changed.");
        (await app.StoredUsersAsync()).Count(u => u.Status == UserStatus.Disabled).ShouldBe(200);
        (await app.AuditEntriesAsync()).Where(e => e.CorrelationId == JobRunner.CorrelationId(jobId)).Select(e => e.Action)
            .ShouldContain(AuditActions.JobCancelled);
    }
}

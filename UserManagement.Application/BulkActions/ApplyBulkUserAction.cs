using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;

namespace UserManagement.Application.BulkActions;

/// <summary>Background work: apply an accepted bulk action to its selected users.</summary>
public sealed record ApplyBulkUserActionJob(Guid JobId) : IJobMessage;

/// <summary>
/// Disables, activates or deletes the pending users of a bulk action, a batch per transaction (<see cref="JobRunner"/>):
/// the changes (through the <see cref="User"/> entity, so each is audited as the requesting administrator), the
/// items' outcomes and the job's counters commit together. The rules of <see cref="BulkActionRules"/> are checked
/// inside that write transaction, so the last active Administrator is kept whatever else happens meanwhile.
/// </summary>
public sealed class ApplyBulkUserActionJobHandler(JobRunner runner) : IJobBatches
{
    public const int BatchSize = 200;

    public Task Handle(ApplyBulkUserActionJob message, CancellationToken cancellationToken) =>
        runner.RunAsync(message.JobId, this, cancellationToken);

    public async Task<bool> RunBatchAsync(IAppDbContext db, Job job, DateTime utcNow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(job);
        var action = BulkUserActions.FromJobKind(job.Kind)
            ?? throw new InvalidOperationException($"Job {job.Id} is a {job.Kind}, not a bulk action.");
        var jobId = job.Id;
        var items = await db.BulkActionItems
            .Where(i => i.JobId == jobId && i.Outcome == BulkItemOutcome.Pending)
            .OrderBy(i => i.Position)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (items.Count == 0)
        {
            return false;
        }

        var ids = items.Select(i => i.UserId).ToList();
        var users = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var rules = new BulkActionRules(action, job.RequestedById, await BulkTargets.ActiveAdministratorsAsync(db, cancellationToken));
        int done = 0, skipped = 0;
        foreach (var item in items)
        {
            var reason = users.TryGetValue(item.UserId, out var user)
                ? rules.SkipReason(user.Id, user.Role, user.Status)
                : BulkUserActions.Gone;
            if (reason is not null)
            {
                item.Skip(reason);
                skipped++;
                continue;
            }

            Apply(action, db, user!, utcNow);
            item.Done();
            done++;
        }

        job.Record(done, skipped, 0);
        return true;
    }

    public string CompletedSummary(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return $"{Past(job)} {Users(job.Done)}." + Remainder(job);
    }

    public static string CancelledSummary(Job job) => Interrupted(job, "Cancelled.", "the cancel");

    string IJobBatches.CancelledSummary(Job job) => CancelledSummary(job);

    string IJobBatches.StoppedSummary(Job job, string reason) => Interrupted(job, JobRunner.StoppedBecause(reason), "it stopped");

    private static string Interrupted(Job job, string lead, string before)
    {
        ArgumentNullException.ThrowIfNull(job);
        var state = job.Kind == JobKind.BulkActivate ? "active" : Past(job).ToLowerInvariant();
        return $"{lead} The {Users(job.Done)} {Past(job).ToLowerInvariant()} before {before} stay {state}; "
            + $"{job.Total - job.Handled:N0} were not changed." + Remainder(job);
    }

    private static void Apply(BulkUserAction action, IAppDbContext db, User user, DateTime utcNow)
    {
        switch (action)
        {
            case BulkUserAction.Delete:
                // The user's sessions go with them (cascade), as when one user is deleted.
                user.Delete(utcNow);
                db.Users.Remove(user);
                break;
            default:
                user.SetStatus(action == BulkUserAction.Disable ? UserStatus.Disabled : UserStatus.Active, utcNow);
                break;
        }
    }

    private static string Past(Job job) => job.Kind switch
    {
        JobKind.BulkDisable => "Disabled",
        JobKind.BulkActivate => "Activated",
        _ => "Deleted",
    };

    private static string Users(int count) => count == 1 ? "1 user" : $"{count:N0} users";

    private static string Remainder(Job job) =>
        job.Skipped > 0 ? $" Left {Users(job.Skipped)} alone; see the reasons." : string.Empty;
}

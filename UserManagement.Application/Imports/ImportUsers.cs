using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;

namespace UserManagement.Application.Imports;

/// <summary>Background work: create the users of an accepted import.</summary>
public sealed record ImportUsersJob(Guid JobId) : IJobMessage;

/// <summary>
/// Creates the pending rows of an import, a batch per transaction (<see cref="JobRunner"/>): the users (through
/// <see cref="User.Create"/>), the rows' outcomes and the job's counters are saved together, so a batch is all done
/// or not at all, and a redelivered message finds only the rows no earlier delivery did.
/// </summary>
public sealed class ImportUsersJobHandler(JobRunner runner) : IJobBatches
{
    /// <summary>
    /// Rows per transaction. Each transaction holds SQLite's write lock: at 500 rows a batch takes about 0.3-0.5 s on
    /// the shared 2-core machine, well inside the 5 s busy timeout other writers (form saves) wait for; progress and
    /// a cancel are seen every batch. The commits themselves (one fsync each) are not what costs: see docs/benchmarks.md.
    /// </summary>
    public const int BatchSize = 500;

    public Task Handle(ImportUsersJob message, CancellationToken cancellationToken) =>
        runner.RunAsync(message.JobId, this, cancellationToken);

    public async Task<bool> RunBatchAsync(IAppDbContext db, Job job, DateTime utcNow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(job);
        var jobId = job.Id;
        var now = utcNow;
        var rows = await db.ImportRows
            .Where(r => r.JobId == jobId && r.Outcome == ImportRowOutcome.Pending)
            .OrderBy(r => r.RowNumber)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return false;
        }

        var taken = (await ImportValidation.TakenEmailsAsync(db, rows.Select(r => UserRules.EmailKey(r.Email)).ToList(), cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        int created = 0, skipped = 0, failed = 0;
        foreach (var row in rows)
        {
            if (!taken.Add(UserRules.EmailKey(row.Email)))
            {
                row.Skip(UserValidationRules.DuplicateEmailMessage);
                skipped++;
                continue;
            }

            try
            {
                var user = User.Create(row.Name, row.Email, row.Role, now);
                db.Users.Add(user);
                row.Created(user.Id);
                created++;
            }
            catch (ArgumentException e)
            {
                // The row passed the checks when it was accepted; a rule that changed since refuses it now.
                row.Fail(e.Message);
                failed++;
            }
        }

        job.Record(created, skipped, failed);
        return true;
    }

    string IJobBatches.CompletedSummary(Job job) => CompletedSummary(job);

    string IJobBatches.CancelledSummary(Job job) => CancelledSummary(job);

    string IJobBatches.StoppedSummary(Job job, string reason) => Interrupted(job, JobRunner.StoppedBecause(reason), "it stopped");

    internal static string CompletedSummary(Job job) =>
        $"Created {Users(job.Done)}." + Remainder(job);

    internal static string CancelledSummary(Job job) => Interrupted(job, "Cancelled.", "the cancel");

    private static string Interrupted(Job job, string lead, string before) =>
        $"{lead} The {Users(job.Done)} created before {before} stay; {job.Total - job.Handled:N0} rows were not imported." + Remainder(job);

    private static string Users(int count) => count == 1 ? "1 user" : $"{count:N0} users";

    private static string Remainder(Job job) =>
        (job.Skipped > 0 ? $" Skipped {job.Skipped:N0} rows whose email another user has by now." : string.Empty)
        + (job.Failed > 0 ? $" {job.Failed:N0} rows failed; see their reasons." : string.Empty);
}

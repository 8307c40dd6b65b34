using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;

namespace UserManagement.Application.Jobs;

/// <summary>The part of a job that differs from kind to kind: what one batch does, and how the end is summed up.</summary>
public interface IJobBatches
{
    /// <summary>
    /// Does the next batch of the job's pending items with <paramref name="db"/>, inside the runner's write transaction,
    /// and records the counts on <paramref name="job"/>. Returns false when nothing was pending: the job is done.
    /// </summary>
    Task<bool> RunBatchAsync(IAppDbContext db, Job job, DateTime utcNow, CancellationToken cancellationToken);

    string CompletedSummary(Job job);

    string CancelledSummary(Job job);

    /// <summary>How the job page sums up a job stopped because its requester may no longer do its work (<see cref="JobRequester"/>).</summary>
    string StoppedSummary(Job job, string reason);
}

/// <summary>
/// Runs a job a batch per transaction, the same way for every kind: marks it started, does batch after batch until
/// nothing is pending, honours a cancel request between batches, stops when its requester may no longer do the work
/// (<see cref="JobRequester"/>, asked before every batch), and records the error of a failed attempt. Each batch
/// transaction takes SQLite's write lock before it reads the pending items (BEGIN IMMEDIATE), so a redelivered
/// message (after a crash, a retry or a replay) finds only what no earlier delivery did. Every change is attributed
/// to the administrator who asked for the job, with the job's id as the correlation id; the start, the end, a cancel
/// (attributed to whoever asked for it) and a stop (to "system") are audited too.
/// </summary>
public sealed partial class JobRunner(IAppDbContextFactory dbFactory, JobFailures failures, TimeProvider clock, ILogger<JobRunner> logger)
{
    public async Task RunAsync(Guid jobId, IJobBatches batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        try
        {
            if (await RequesterAsync(jobId, cancellationToken) is not { } requester)
            {
                return;
            }

            using var operation = OperationContext.Begin(requester);
            if (!await BeginAsync(jobId, cancellationToken))
            {
                return;
            }

            while (await RunBatchAsync(jobId, batches, cancellationToken))
            {
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await failures.RecordErrorAsync(jobId, e, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The correlation id of a job's audit entries: its id.</summary>
    public static string CorrelationId(Guid jobId) => jobId.ToString("N");

    private async Task<OperationContext?> RequesterAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var requester = await db.Jobs.AsNoTracking().Where(j => j.Id == jobId)
            .Select(j => new { j.RequestedById, j.RequestedBy }).FirstOrDefaultAsync(cancellationToken);
        return requester is null ? null : new OperationContext(requester.RequestedById, requester.RequestedBy, CorrelationId(jobId));
    }

    /// <summary>Marks the job started (audited the first time); false when there is nothing left to do.</summary>
    private async Task<bool> BeginAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Read under the write lock, like a batch: a delivery racing with one that just completed the job would
        // otherwise write its stale "Running" over "Completed" and complete (and audit) the job a second time.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || job.IsFinished)
        {
            LogNothingToDo(jobId);
            return false;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        job.Begin(now);
        if (job.Attempts == 1)
        {
            db.Raise(new JobStarted(job.Id, job.Kind, job.Title, job.Total, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogStarted(jobId, job.Kind, job.Attempts, job.Handled, job.Total);
        return true;
    }

    /// <summary>Runs the next batch; false when the job has finished (done, or cancelled).</summary>
    private async Task<bool> RunBatchAsync(Guid jobId, IJobBatches batches, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (job.IsFinished)
        {
            return false;
        }

        if (job.CancellationRequested)
        {
            Cancel(db, job, batches.CancelledSummary(job), now);
            using (OperationContext.Begin(CancelledBy(job)))
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogCancelled(jobId, job.Kind, job.Done, job.CancellationRequestedBy);
            return false;
        }

        if (await JobRequester.WhyNotAsync(db, job, cancellationToken) is { } reason)
        {
            job.Cancel(batches.StoppedSummary(job, reason), now);
            db.Raise(new JobStopped(job.Id, job.Kind, job.Title, job.Summary!, now));
            using (OperationContext.Begin(new OperationContext(null, OperationContext.SystemActorName, CorrelationId(jobId))))
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogStopped(jobId, job.Kind, job.Done, reason);
            return false;
        }

        // A batch tracks a thousand or more entities (the items, what they create, their audit entries): scanning
        // them for changes at every query, Entries() call and save costs more than the batch's own work. The batch
        // only adds and changes what it loaded, so one scan just before the save finds every change.
        var tracker = (db as DbContext)?.ChangeTracker;
        tracker?.AutoDetectChangesEnabled = false;
        bool more;
        try
        {
            more = await batches.RunBatchAsync(db, job, now, cancellationToken);
            if (!more)
            {
                job.Complete(batches.CompletedSummary(job), now);
                db.Raise(new JobCompleted(job.Id, job.Kind, job.Title, job.Summary!, now));
            }

            tracker?.DetectChanges();
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            tracker?.AutoDetectChangesEnabled = true;
        }

        await transaction.CommitAsync(cancellationToken);
        if (!more)
        {
            LogCompleted(jobId, job.Kind, job.Done, job.Skipped, job.Failed);
        }

        return more;
    }

    /// <summary>"Stopped because ana@example.com was disabled, ...": how a stopped job's summary begins.</summary>
    public static string StoppedBecause(string reason) =>
        $"Stopped because {reason}: a job works only for an administrator who may still do its work.";

    /// <summary>Whom a requested cancel is attributed to: whoever asked (the requester's context for a job asked before that was kept).</summary>
    private static OperationContext CancelledBy(Job job) => job.CancellationRequestedBy is { } by
        ? new OperationContext(job.CancellationRequestedById, by, CorrelationId(job.Id))
        : OperationContext.Current;

    /// <summary>Cancels the job with its summary and records that in the trail (saved with the caller's next save).</summary>
    public static void Cancel(IAppDbContext db, Job job, string summary, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(job);
        job.Cancel(summary, utcNow);
        db.Raise(new JobCancelled(job.Id, job.Kind, job.Title, job.Summary!, utcNow));
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Job {JobId}: nothing to do (finished or unknown)")]
    private partial void LogNothingToDo(Guid jobId);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "Job {JobId} ({Kind}): attempt {Attempt}, {Handled} of {Total} items handled so far")]
    private partial void LogStarted(Guid jobId, JobKind kind, int attempt, int handled, int total);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) cancelled by {CancelledBy} after {Done} items done")]
    private partial void LogCancelled(Guid jobId, JobKind kind, int done, string? cancelledBy);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) stopped after {Done} items done: {Reason}")]
    private partial void LogStopped(Guid jobId, JobKind kind, int done, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information,
        Message = "Job {JobId} ({Kind}) completed: {Done} done, {Skipped} skipped, {Failed} failed")]
    private partial void LogCompleted(Guid jobId, JobKind kind, int done, int skipped, int failed);
}

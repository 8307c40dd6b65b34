using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;

namespace UserManagement.Application.Imports;

/// <summary>Background work: create the users of an accepted import.</summary>
public sealed record ImportUsersJob(Guid JobId) : IJobMessage;

/// <summary>
/// Creates the pending rows of an import, a batch per transaction: the users (through <see cref="User.Create"/>),
/// the rows' outcomes and the job's counters are saved together, so a batch is all done or not at all. The batch
/// transaction takes SQLite's write lock before it reads the pending rows, so a redelivered message (after a crash,
/// a retry or a replay) can only find the rows no earlier delivery did: every row has its effect once. Between
/// batches it honours a cancel request.
/// </summary>
public sealed partial class ImportUsersJobHandler(
    IAppDbContextFactory dbFactory, JobFailures failures, TimeProvider clock, ILogger<ImportUsersJobHandler> logger)
{
    public const int BatchSize = 500;

    public async Task Handle(ImportUsersJob message, CancellationToken cancellationToken)
    {
        try
        {
            if (await BeginAsync(message.JobId, cancellationToken) is not { } requester)
            {
                return;
            }

            // Every created user is audited as the administrator who started the import, with the job's id as the
            // correlation id that ties the import's entries together.
            using var operation = OperationContext.Begin(requester);
            while (await ImportBatchAsync(message.JobId, cancellationToken))
            {
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await failures.RecordErrorAsync(message.JobId, e, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Marks the job started; returns who asked for it, or null when there is nothing left to do.</summary>
    private async Task<OperationContext?> BeginAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is null || job.IsFinished)
        {
            LogNothingToDo(jobId);
            return null;
        }

        job.Begin(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        LogStarted(jobId, job.Attempts, job.Handled, job.Total);
        return new OperationContext(job.RequestedById, job.RequestedBy, jobId.ToString("N"));
    }

    /// <summary>Imports the next batch; false when the job has finished (done, or cancelled).</summary>
    private async Task<bool> ImportBatchAsync(Guid jobId, CancellationToken cancellationToken)
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
            job.Cancel(CancelledSummary(job), now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogCancelled(jobId, job.Done);
            return false;
        }

        var rows = await db.ImportRows
            .Where(r => r.JobId == jobId && r.Outcome == ImportRowOutcome.Pending)
            .OrderBy(r => r.RowNumber)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            job.Complete(CompletedSummary(job), now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogCompleted(jobId, job.Done, job.Skipped, job.Failed);
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
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    internal static string CompletedSummary(Job job) =>
        $"Created {Users(job.Done)}." + Remainder(job);

    internal static string CancelledSummary(Job job) =>
        $"Cancelled. The {Users(job.Done)} created before the cancel stay; {job.Total - job.Handled:N0} rows were not imported."
        + Remainder(job);

    private static string Users(int count) => count == 1 ? "1 user" : $"{count:N0} users";

    private static string Remainder(Job job) =>
        (job.Skipped > 0 ? $" Skipped {job.Skipped:N0} rows whose email another user has by now." : string.Empty)
        + (job.Failed > 0 ? $" {job.Failed:N0} rows failed; see their reasons." : string.Empty);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId}: nothing to do (finished or unknown)")]
    private partial void LogNothingToDo(Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId}: attempt {Attempt}, {Handled} of {Total} rows handled so far")]
    private partial void LogStarted(Guid jobId, int attempt, int handled, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId} cancelled after {Done} users")]
    private partial void LogCancelled(Guid jobId, int done);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId} completed: {Done} created, {Skipped} skipped, {Failed} failed")]
    private partial void LogCompleted(Guid jobId, int done, int skipped, int failed);
}

using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Jobs;

/// <summary>Writes a job's errors where the jobs page shows them: each failed attempt, and the bus giving up.</summary>
public sealed class JobFailures(IAppDbContextFactory dbFactory, TimeProvider clock)
{
    public Task RecordErrorAsync(Guid jobId, Exception error, CancellationToken cancellationToken) =>
        UpdateAsync(jobId, job => job.RecordError(Describe(error)), cancellationToken);

    /// <summary>Every retry failed; the message is now a dead letter.</summary>
    public Task RecordGaveUpAsync(Guid jobId, Exception error, CancellationToken cancellationToken) =>
        UpdateAsync(jobId, job => job.GiveUp(Describe(error), clock.GetUtcNow().UtcDateTime), cancellationToken);

    /// <summary>The root cause, which says what went wrong ("SQLite Error 5: 'database is locked'"), not the wrapper.</summary>
    public static string Describe(Exception error)
    {
        var cause = error.GetBaseException();
        return $"{cause.GetType().Name}: {cause.Message}";
    }

    private async Task UpdateAsync(Guid jobId, Action<Job> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId, cancellationToken);
        if (job is not null)
        {
            change(job);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Jobs;

namespace UserManagement.Tests.Support;

/// <summary>Waits for background work by watching the jobs table: a condition, never a fixed sleep.</summary>
public static class JobWaiting
{
    /// <summary>Generous: the machines running the suite are shared and slow.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Settings for a worker that retries many times quickly (then waits long), so that a test can change things
    /// between the retries of a held row.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> PatientRetries = new Dictionary<string, string?>
    {
        ["Bus:RetryDelays:0"] = "00:00:00.100",
        ["Bus:RetryDelays:1"] = "00:00:00.100",
        ["Bus:RetryDelays:2"] = "00:00:00.100",
        ["Bus:RetryDelays:3"] = "00:00:00.100",
        ["Bus:RetryDelays:4"] = "00:00:00.100",
        ["Bus:RetryDelays:5"] = "00:00:00.500",
        ["Bus:RetryDelays:6"] = "00:00:05",
        ["Bus:RetryDelays:7"] = "00:00:30",
    };

    public static async Task<Job> WaitForJobAsync(this TestApp app, Guid jobId, Func<Job, bool> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow + Timeout;
        Job? job = null;
        while (DateTime.UtcNow < deadline)
        {
            await using (var db = await app.OpenDbAsync())
            {
                job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, TestContext.Current.CancellationToken);
            }

            if (job is not null && condition(job))
            {
                return job;
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"Job {jobId} did not reach '{what ?? "the expected state"}' in {Timeout}; last seen: {Describe(job)}");
    }

    public static Task<Job> WaitUntilFinishedAsync(this TestApp app, Guid jobId) =>
        app.WaitForJobAsync(jobId, j => j.IsFinished || j.Status == JobStatus.Failed, "finished");

    private static string Describe(Job? job) => job is null
        ? "no such job"
        : $"{job.Status}, {job.Done} done, {job.Skipped} skipped, {job.Failed} failed of {job.Total}, attempts {job.Attempts}, error {job.LastError}";
}

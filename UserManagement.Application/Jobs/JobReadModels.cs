using UserManagement.Application.Imports;

namespace UserManagement.Application.Jobs;

/// <summary>A job as the jobs page lists it, with what the page needs to show progress, rate and time left.</summary>
public sealed record JobListItem(
    Guid Id,
    JobKind Kind,
    string Title,
    string RequestedBy,
    DateTime RequestedAt,
    JobStatus Status,
    int Total,
    int Done,
    int Skipped,
    int Failed,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Summary,
    bool CancellationRequested,
    int Attempts,
    string? LastError)
{
    public int Handled => Done + Skipped + Failed;

    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Cancelled;
}

/// <summary>A row of a job that did not create a user, and why; or one that did, with the user.</summary>
public sealed record JobRowItem(int Line, string Name, string Email, ImportRowOutcome Outcome, string? Reason, Guid? UserId);

/// <summary>One job with the rows it left out and (the first of) the users it created.</summary>
public sealed record JobDetails(JobListItem Job, IReadOnlyList<JobRowItem> NotCreated, IReadOnlyList<JobRowItem> Created, int CreatedCount);

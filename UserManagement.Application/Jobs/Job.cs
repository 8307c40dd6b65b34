using UserManagement.Application.Users;

namespace UserManagement.Application.Jobs;

public enum JobKind
{
    UserImport = 0,

    /// <summary>Disable the selected users (a bulk action).</summary>
    BulkDisable = 1,

    /// <summary>Activate the selected users (a bulk action).</summary>
    BulkActivate = 2,

    /// <summary>Delete the selected users (a bulk action).</summary>
    BulkDelete = 3,
}

public enum JobStatus
{
    /// <summary>Accepted and stored; waiting for the background worker.</summary>
    Queued = 0,

    /// <summary>The worker is on it (or will continue it after a restart).</summary>
    Running = 1,

    /// <summary>Every row was handled: created or skipped with a reason.</summary>
    Completed = 2,

    /// <summary>An administrator cancelled it; what was done before stays.</summary>
    Cancelled = 3,

    /// <summary>It failed after every retry and waits in the dead letters for an administrator.</summary>
    Failed = 4,
}

/// <summary>
/// A piece of background work and its progress, in our own table so that every screen (and every administrator)
/// reads it with an ordinary query, also after a restart. The background handler moves it on in the same
/// transaction as the work it records, so the counters never disagree with what is stored.
/// </summary>
public sealed class Job
{
    public const int SummaryMaxLength = 1000;
    public const int ErrorMaxLength = 2000;

    /// <summary>The title of a job whose given title had nothing left to show.</summary>
    public const string UntitledTitle = "(untitled)";

    private Job()
    {
    }

    public Guid Id { get; private set; }

    public JobKind Kind { get; private set; }

    /// <summary>The administrator who asked for it: whom its changes are attributed to.</summary>
    public Guid RequestedById { get; private set; }

    public string RequestedBy { get; private set; } = string.Empty;

    public DateTime RequestedAt { get; private set; }

    /// <summary>
    /// What it works on, for the screens ("users.csv"). An uploaded file's name is the browser's to choose: it is
    /// kept without the characters a name may not hold (<see cref="UserRules.HasForbiddenCharacters"/>), so a
    /// direction override cannot make "exe.csv" read as "vsc.exe" on the jobs page or in the audit trail.
    /// </summary>
    public string Title { get; private set; } = string.Empty;

    public JobStatus Status { get; private set; }

    /// <summary>How many items it has to handle.</summary>
    public int Total { get; private set; }

    /// <summary>Items done (for an import: users created).</summary>
    public int Done { get; private set; }

    /// <summary>Items left out on purpose, each with its reason (for an import: the email was taken meanwhile).</summary>
    public int Skipped { get; private set; }

    /// <summary>Items that could not be done.</summary>
    public int Failed { get; private set; }

    public DateTime? StartedAt { get; private set; }

    public DateTime? FinishedAt { get; private set; }

    public string? Summary { get; private set; }

    public bool CancellationRequested { get; private set; }

    /// <summary>Who asked to cancel it: whom the cancel is attributed to, not the requester.</summary>
    public Guid? CancellationRequestedById { get; private set; }

    public string? CancellationRequestedBy { get; private set; }

    /// <summary>How often the worker took it up: more than once means it was retried or resumed.</summary>
    public int Attempts { get; private set; }

    /// <summary>The last error the worker met, while it retries or after it gave up.</summary>
    public string? LastError { get; private set; }

    public int Handled => Done + Skipped + Failed;

    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Cancelled;

    public static Job Create(JobKind kind, string title, Guid requestedById, string requestedBy, int total, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        return new Job
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(utcNow)),
            Kind = kind,
            Title = UserRules.WithoutForbiddenCharacters(title).Trim() is { Length: > 0 } shown ? shown : UntitledTitle,
            RequestedById = requestedById,
            RequestedBy = requestedBy,
            RequestedAt = utcNow,
            Status = JobStatus.Queued,
            Total = total,
        };
    }

    /// <summary>The worker takes the job up (first time, after a retry or after a restart).</summary>
    public void Begin(DateTime utcNow)
    {
        Attempts++;
        StartedAt ??= utcNow;
        if (!IsFinished)
        {
            Status = JobStatus.Running;
            FinishedAt = null;
        }
    }

    public void Record(int done, int skipped, int failed)
    {
        Done += done;
        Skipped += skipped;
        Failed += failed;
    }

    public void Complete(string summary, DateTime utcNow) => Finish(JobStatus.Completed, summary, utcNow);

    /// <summary>
    /// <paramref name="by"/> asks the worker to stop after its current batch. False when the job has already finished.
    /// When several ask, the cancel is attributed to the first.
    /// </summary>
    public bool RequestCancellation(Guid? byId, string by)
    {
        if (IsFinished)
        {
            return false;
        }

        if (!CancellationRequested)
        {
            CancellationRequested = true;
            CancellationRequestedById = byId;
            CancellationRequestedBy = by;
        }

        return true;
    }

    public void Cancel(string summary, DateTime utcNow) => Finish(JobStatus.Cancelled, summary, utcNow);

    /// <summary>The worker met an error; the bus retries it (or gives up, see <see cref="GiveUp"/>).</summary>
    public void RecordError(string error) => LastError = Truncate(error, ErrorMaxLength);

    /// <summary>Every retry failed: the work waits in the dead letters until an administrator retries or discards it.</summary>
    public void GiveUp(string error, DateTime utcNow)
    {
        if (IsFinished)
        {
            return;
        }

        Status = JobStatus.Failed;
        LastError = Truncate(error, ErrorMaxLength);
        FinishedAt = utcNow;
    }

    private void Finish(JobStatus status, string summary, DateTime utcNow)
    {
        Status = status;
        Summary = Truncate(summary, SummaryMaxLength);
        FinishedAt = utcNow;
        LastError = null;
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

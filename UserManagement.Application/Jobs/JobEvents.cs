using UserManagement.Application.Common;

namespace UserManagement.Application.Jobs;

/// <summary>A domain event about a background job: the trail records it with the job's id as correlation id.</summary>
public interface IJobEvent : IDomainEvent
{
    Guid JobId { get; }

    string Title { get; }

    JobKind Kind { get; }
}

/// <summary>The worker took the job up for the first time.</summary>
public sealed record JobStarted(Guid JobId, JobKind Kind, string Title, int Total, DateTime OccurredAt) : IJobEvent;

/// <summary>Every item of the job was handled.</summary>
public sealed record JobCompleted(Guid JobId, JobKind Kind, string Title, string Summary, DateTime OccurredAt) : IJobEvent;

/// <summary>The job stopped at an administrator's request; what it did before stays.</summary>
public sealed record JobCancelled(Guid JobId, JobKind Kind, string Title, string Summary, DateTime OccurredAt) : IJobEvent;

/// <summary>
/// The job stopped by itself because its requester may no longer do its work (<see cref="JobRequester"/>); what it
/// did before stays. Recorded as "system", under the job's correlation id.
/// </summary>
public sealed record JobStopped(Guid JobId, JobKind Kind, string Title, string Summary, DateTime OccurredAt) : IJobEvent;

/// <summary>
/// An administrator put a dead letter back on its queue (<see cref="RetryDeadLetterCommand"/>). Recorded with the
/// job's correlation id when the message belongs to a job.
/// </summary>
public sealed record DeadLetterRetried(Guid DeadLetterId, string MessageType, Guid? JobId, DateTime OccurredAt) : IDomainEvent;

/// <summary>An administrator deleted a dead letter for good (<see cref="DiscardDeadLetterCommand"/>).</summary>
public sealed record DeadLetterDiscarded(Guid DeadLetterId, string MessageType, Guid? JobId, DateTime OccurredAt) : IDomainEvent;

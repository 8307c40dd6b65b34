using UserManagement.Application.Common;

namespace UserManagement.Application.Jobs;

/// <summary>
/// A message for the background worker. It is delivered at least once (again after a crash, a retry or a replay
/// from the dead letters), so its handler must have its effect once: it records what it did in the database in the
/// same transaction as the work itself, and skips what is recorded as done.
/// </summary>
/// <remarks>
/// A handler is a public class named <c>&lt;Message&gt;Handler</c> with a <c>Handle(message, CancellationToken)</c>
/// method, in the feature folder beside the message. The bus finds it; see docs/architecture.md.
/// </remarks>
public interface IBackgroundMessage;

/// <summary>A background message that does the work of one <see cref="Job"/>.</summary>
public interface IJobMessage : IBackgroundMessage
{
    Guid JobId { get; }
}

/// <summary>Accepts work for the background worker.</summary>
public interface IBackgroundWork
{
    /// <summary>
    /// Saves the changes <paramref name="db"/> tracks and the message in ONE transaction (the outbox), and returns
    /// once both are stored: nothing accepted is lost, and nothing is queued for changes that were not saved.
    /// </summary>
    Task SaveChangesAndEnqueueAsync(IAppDbContext db, IBackgroundMessage message, CancellationToken cancellationToken);
}

/// <summary>A message the worker gave up on after every retry, kept until an administrator retries or discards it.</summary>
public sealed record DeadLetter(Guid Id, string MessageType, Guid? JobId, string ExceptionType, string Error, DateTime? FailedAt);

/// <summary>The bus's store of dead letters.</summary>
public interface IDeadLetterStore
{
    Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken);

    /// <summary>Puts the message back on its queue; returns the dead letter it was, or null when there is no such dead letter.</summary>
    Task<DeadLetter?> RetryAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Deletes it for good; returns the dead letter it was, or null when there is no such dead letter.</summary>
    Task<DeadLetter?> DiscardAsync(Guid id, CancellationToken cancellationToken);
}

using UserManagement.Application.Users;

namespace UserManagement.Application.BulkActions;

public enum BulkItemOutcome
{
    Pending = 0,
    Done = 1,
    Skipped = 2,
}

/// <summary>
/// One selected user of a bulk action, stored with its job when the action is accepted. Its key (job id + user id)
/// means a user is in a job once, and its <see cref="Outcome"/>, written in the same transaction as the change to
/// the user, makes the job idempotent: a redelivered message finds the item done and leaves the user alone.
/// </summary>
public sealed class BulkActionItem
{
    public const int ReasonMaxLength = 500;

    private BulkActionItem()
    {
    }

    public Guid JobId { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>1, 2, 3... in the order the users were selected: the order they are changed in.</summary>
    public int Position { get; private set; }

    /// <summary>The user's name and email when selected, for the job page (the user may be deleted by now).</summary>
    public string Name { get; private set; } = string.Empty;

    public string Email { get; private set; } = string.Empty;

    public BulkItemOutcome Outcome { get; private set; }

    public string? Reason { get; private set; }

    public static BulkActionItem Create(Guid jobId, int position, UserRef user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new BulkActionItem
        {
            JobId = jobId,
            UserId = user.Id,
            Position = position,
            Name = user.Name,
            Email = user.Email,
            Outcome = BulkItemOutcome.Pending,
        };
    }

    public void Done() => Outcome = BulkItemOutcome.Done;

    public void Skip(string reason)
    {
        Outcome = BulkItemOutcome.Skipped;
        Reason = reason.Length <= ReasonMaxLength ? reason : reason[..ReasonMaxLength];
    }
}

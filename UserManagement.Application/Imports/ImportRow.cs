using UserManagement.Application.Users;

namespace UserManagement.Application.Imports;

public enum ImportRowOutcome
{
    Pending = 0,
    Created = 1,
    Skipped = 2,
    Failed = 3,
}

/// <summary>
/// One valid row of an accepted import, stored with its job when the import is accepted. Its key (job id + row
/// number) and its <see cref="Outcome"/>, written in the same transaction as the user it creates, make the import
/// idempotent: a redelivered message finds the row done and leaves it alone.
/// </summary>
public sealed class ImportRow
{
    private ImportRow()
    {
    }

    public Guid JobId { get; private set; }

    /// <summary>1, 2, 3... in file order: the order the rows are imported in.</summary>
    public int RowNumber { get; private set; }

    /// <summary>The line of the file the row starts on, for messages.</summary>
    public int Line { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public string Email { get; private set; } = string.Empty;

    public UserRole Role { get; private set; }

    public ImportRowOutcome Outcome { get; private set; }

    public string? Reason { get; private set; }

    /// <summary>The user this row created.</summary>
    public Guid? UserId { get; private set; }

    public static ImportRow Create(Guid jobId, int rowNumber, int line, string name, string email, UserRole role) => new()
    {
        JobId = jobId,
        RowNumber = rowNumber,
        Line = line,
        Name = name,
        Email = email,
        Role = role,
        Outcome = ImportRowOutcome.Pending,
    };

    public void Created(Guid userId)
    {
        Outcome = ImportRowOutcome.Created;
        UserId = userId;
    }

    public void Skip(string reason)
    {
        Outcome = ImportRowOutcome.Skipped;
        Reason = reason;
    }

    public void Fail(string reason)
    {
        Outcome = ImportRowOutcome.Failed;
        Reason = reason;
    }
}

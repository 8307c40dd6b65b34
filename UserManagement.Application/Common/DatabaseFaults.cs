using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace UserManagement.Application.Common;

/// <summary>
/// Tells a database fault (an expected failure: the database is busy past the wait, missing, read-only or full) from a
/// bug. The telemetry step turns a fault into <see cref="UnavailableError"/>; code that reads the database outside a
/// message (a form's field check) uses the same test.
/// </summary>
public static class DatabaseFaults
{
    /// <summary>
    /// True for an exception raised by the database itself, anywhere in the chain. A unique-index violation or a
    /// concurrency clash that reached this far is a handler's bug, not an outage, so it is not one.
    /// </summary>
    public static bool Is(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is UniqueConstraintException or DbUpdateConcurrencyException)
        {
            return false;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                return true;
            }
        }

        return false;
    }
}

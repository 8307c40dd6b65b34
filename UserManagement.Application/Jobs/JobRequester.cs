using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Jobs;

/// <summary>
/// Whether the administrator who asked for a job may still have it done: the one place that decides. The runner
/// asks before every batch, inside the batch's write transaction, so a change committed before the batch is seen
/// by it and a job never does another batch in the name of someone who lost the right (finding 6 of the third
/// outside test). Today the requester must still exist, be active, hold the Administrator role and not be held at
/// a temporary password another administrator set (the pipeline would refuse all their messages). When delegated
/// roles come, "holds the permission for this kind of job" (<see cref="Job.Kind"/> names the work) replaces the
/// role check here, and only here.
/// <para>
/// Sessions do not count: a job is meant to outlive its requester's sign-out (start an import, close the tab).
/// Ending their sessions does not stop it; disabling, deleting or demoting them, or resetting their password, does.
/// </para>
/// </summary>
public static class JobRequester
{
    /// <summary>Why the job's requester may no longer have it done ("ana@example.com was disabled"), or null when they may.</summary>
    public static async Task<string?> WhyNotAsync(IAppDbContext db, Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(job);
        var requester = await db.Users.AsNoTracking().Where(u => u.Id == job.RequestedById)
            .Select(u => new { u.Email, u.Role, u.Status, u.MustChangePassword })
            .FirstOrDefaultAsync(cancellationToken);
        return requester switch
        {
            null => $"{job.RequestedBy} was deleted",
            { Status: not UserStatus.Active } => $"{requester.Email} was disabled",
            { Role: not UserRole.Administrator } => $"{requester.Email} is no longer an administrator",
            { MustChangePassword: true } => $"another administrator set a temporary password for {requester.Email}",
            _ => null,
        };
    }
}

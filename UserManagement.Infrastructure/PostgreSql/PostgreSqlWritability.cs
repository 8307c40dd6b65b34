using Microsoft.EntityFrameworkCore;
using UserManagement.Infrastructure.Operations;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// The PostgreSQL database takes writes unless the server is a standby (in recovery, as after a failover to a replica
/// that was not promoted) or the session is read-only by default (<c>default_transaction_read_only</c>).
/// </summary>
public sealed class PostgreSqlWritability : IDatabaseWritability
{
    public async Task<string?> WhyNotWritableAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var readOnly = await db.Database
            .SqlQuery<bool>($"""SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS "Value" """)
            .SingleAsync(cancellationToken);
        return readOnly ? "The database is read-only (a standby server, or read-only transactions by default): nobody can save." : null;
    }
}

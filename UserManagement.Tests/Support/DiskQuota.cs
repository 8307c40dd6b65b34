using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace UserManagement.Tests.Support;

/// <summary>
/// Simulates a full disk: while <see cref="Full"/> is set, every connection the app opens may not grow the
/// database by a single page (SQLite's <c>max_page_count</c>, set per connection), so the next write that needs
/// a page fails with SQLITE_FULL, exactly as when the disk has no room left.
/// </summary>
public sealed class DiskQuota : DbConnectionInterceptor
{
    private const long NoLimit = 4294967294;

    public bool Full { get; set; }

    /// <summary>Adds the quota to the app's connections (after its own settings: every interceptor service joins the context).</summary>
    public void AddTo(IServiceCollection services) => services.AddSingleton<IInterceptor>(this);

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        var limit = NoLimit;
        if (Full)
        {
            using var read = connection.CreateCommand();
            read.CommandText = "PRAGMA page_count";
            limit = Convert.ToInt64(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        using var set = connection.CreateCommand();
        set.CommandText = $"PRAGMA max_page_count = {limit}";
        set.ExecuteNonQuery();
    }
}

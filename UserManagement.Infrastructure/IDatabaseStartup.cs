namespace UserManagement.Infrastructure;

/// <summary>What a provider does around the migrations at start-up (Sqlite/SqliteDatabaseStartup.cs, say).</summary>
public interface IDatabaseStartup
{
    /// <summary>Makes the database reachable for the migrations (SQLite: its file exists and is this process's).</summary>
    Task BeforeMigrationsAsync(AppDbContext db, CancellationToken cancellationToken);

    /// <summary>Checks what the migrations alone cannot keep whole (SQLite: the read model's triggers).</summary>
    Task AfterMigrationsAsync(AppDbContext db, CancellationToken cancellationToken);
}

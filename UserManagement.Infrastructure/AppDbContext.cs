using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.AuditTrail;
using UserManagement.Infrastructure.Sqlite.Audit;

namespace UserManagement.Infrastructure;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options), IAppDbContext
{
    // SQLite reports a unique violation as primary code 19 (constraint) with extended code 2067.
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;

    public DbSet<User> Users => Set<User>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<MfaRecoveryCode> RecoveryCodes => Set<MfaRecoveryCode>();

    public DbSet<Passkey> Passkeys => Set<Passkey>();

    public DbSet<PasskeyChallenge> PasskeyChallenges => Set<PasskeyChallenge>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<ImportRow> ImportRows => Set<ImportRow>();

    public DbSet<BulkActionItem> BulkActionItems => Set<BulkActionItem>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>This context's audit bookkeeping between a save and its commit; <see cref="AuditTrailInterceptor"/> and
    /// <see cref="TransactionInterceptor"/> drive it.</summary>
    internal AuditTrailState AuditState { get; } = new();

    public void Raise(IDomainEvent domainEvent) => AuditState.Raised.Add(RaisedEvent.Now(domainEvent));

    public IQueryable<long> AuditEntryIdsMatching(string text) => Database.SqlQuery<long>(SqliteAuditTrailSql.Matching(text));

    public async Task<int> RemoveAuditEntriesBeforeAsync(DateTime before, CancellationToken cancellationToken = default)
    {
        // The trigger lets these deletions through only while the cut-off is set; it must never be committed set.
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit entries are removed only inside the pruning's own transaction.");
        }

        await Database.ExecuteSqlAsync(SqliteAuditTrailSql.BeginPruning(before), cancellationToken);
        var removed = await AuditEntries.Where(e => e.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
        await Database.ExecuteSqlRawAsync(SqliteAuditTrailSql.EndPruning, cancellationToken);
        return removed;
    }

    /// <summary>
    /// Refused: the audit trail and its events are written by the asynchronous save only, so a synchronous one would
    /// save a change without them.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) => throw TransactionInterceptor.Synchronous("SaveChangesAsync");

    public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException
            && e.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique } sqlite)
        {
            throw new UniqueConstraintException(UniqueIndexNamed(sqlite.Message), e);
        }
    }

    // A pooled context is reused: nothing raised or saved under one lease may reach the next.
    public override void Dispose()
    {
        AuditState.Reset();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        AuditState.Reset();
        return base.DisposeAsync();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is stored as UTC and comes back marked as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    /// <summary>
    /// SQLite names the columns, not the index ("UNIQUE constraint failed: Users.NormalizedEmail"); find the
    /// unique index of the model over exactly those columns so callers see the same name on every engine.
    /// </summary>
    private string UniqueIndexNamed(string sqliteMessage)
    {
        const string Marker = "UNIQUE constraint failed: ";
        var start = sqliteMessage.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return string.Empty;
        }

        var columns = sqliteMessage[(start + Marker.Length)..].TrimEnd('\'', '.', ' ')
            .Split(", ", StringSplitOptions.TrimEntries)
            .Select(c => c[(c.IndexOf('.', StringComparison.Ordinal) + 1)..])
            .ToHashSet(StringComparer.Ordinal);

        var index = Model.GetEntityTypes()
            .SelectMany(t => t.GetIndexes())
            .FirstOrDefault(i => i.IsUnique && i.Properties.Select(p => p.GetColumnName()).ToHashSet().SetEquals(columns));
        return index?.GetDatabaseName() ?? string.Join(",", columns);
    }

    internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

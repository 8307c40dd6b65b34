using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
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

namespace UserManagement.Infrastructure;

/// <summary>
/// The app's database, whatever the engine: its tables, its audit bookkeeping and the translation of a unique-index
/// violation into <see cref="UniqueConstraintException"/>. Each provider folder has the one sealed subclass that is
/// used on its engine (Sqlite/SqliteAppDbContext.cs), with its own migrations and compiled model beside it (ADR 0029):
/// what differs between engines is the subclass's, everything else is here.
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options), IAppDbContext, IDataProtectionKeyContext
{
    public DbSet<User> Users => Set<User>();

    public DbSet<UserSession> Sessions => Set<UserSession>();

    public DbSet<MfaRecoveryCode> RecoveryCodes => Set<MfaRecoveryCode>();

    public DbSet<Passkey> Passkeys => Set<Passkey>();

    public DbSet<PasskeyChallenge> PasskeyChallenges => Set<PasskeyChallenge>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<ImportRow> ImportRows => Set<ImportRow>();

    public DbSet<BulkActionItem> BulkActionItems => Set<BulkActionItem>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>The Data Protection key ring, when the keys live in the database (PostgreSQL: <c>PostgreSql/DatabaseKeyRepository.cs</c>).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>This context's audit bookkeeping between a save and its commit; <see cref="AuditTrailInterceptor"/> and
    /// <see cref="TransactionInterceptor"/> drive it.</summary>
    internal AuditTrailState AuditState { get; } = new();

    /// <summary>True while <see cref="SaveChangesAsync(CancellationToken)"/> runs: a transaction begun now is the save's own.</summary>
    internal bool InsideSave { get; private set; }

    public void Raise(IDomainEvent domainEvent) => AuditState.Raised.Add(RaisedEvent.Now(domainEvent));

    public abstract IQueryable<long> AuditEntryIdsMatching(string text);

    public async Task<int> RemoveAuditEntriesBeforeAsync(DateTime before, CancellationToken cancellationToken = default)
    {
        // The engine's guard lets these deletions through only inside this transaction; nothing may leave it open.
        if (Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit entries are removed only inside the pruning's own transaction.");
        }

        return await RemoveAuditEntriesInTransactionAsync(before, cancellationToken);
    }

    /// <summary>
    /// Refused: the audit trail and its events are written by the asynchronous save only, so a synchronous one would
    /// save a change without them.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) => throw TransactionInterceptor.Synchronous("SaveChangesAsync");

    public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        InsideSave = true;
        try
        {
            return await base.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is not DbUpdateConcurrencyException && UniqueIndexViolated(e) is { } index)
        {
            throw new UniqueConstraintException(index, e);
        }
        finally
        {
            InsideSave = false;
        }
    }

    // A pooled context is reused: nothing raised or saved under one lease may reach the next.
    public override void Dispose()
    {
        AuditState.Reset();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    public override async ValueTask DisposeAsync()
    {
        AuditState.Reset();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Deletes the audit entries older than <paramref name="before"/> past the engine's append-only guard.</summary>
    protected abstract Task<int> RemoveAuditEntriesInTransactionAsync(DateTime before, CancellationToken cancellationToken);

    /// <summary>The name of the unique index <paramref name="error"/> violated, or null when it is another failure.</summary>
    protected abstract string? UniqueIndexViolated(DbUpdateException error);

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is stored as UTC and comes back marked as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

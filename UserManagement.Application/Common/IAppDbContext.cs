using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;

namespace UserManagement.Application.Common;

/// <summary>The unit of work a handler opens for one operation and disposes at its end.</summary>
public interface IAppDbContext : IAsyncDisposable
{
    DbSet<User> Users { get; }

    DbSet<UserSession> Sessions { get; }

    DbSet<MfaRecoveryCode> RecoveryCodes { get; }

    DbSet<Passkey> Passkeys { get; }

    /// <summary>Open WebAuthn ceremonies: each challenge until it is answered or expires (ADR 0027).</summary>
    DbSet<PasskeyChallenge> PasskeyChallenges { get; }

    DbSet<Job> Jobs { get; }

    DbSet<ImportRow> ImportRows { get; }

    DbSet<BulkActionItem> BulkActionItems { get; }

    /// <summary>The audit trail: append-only. Read it; entries are written by <see cref="SaveChangesAsync"/>.</summary>
    DbSet<AuditEntry> AuditEntries { get; }

    /// <summary>For the few operations that must read and write in one transaction (the last-administrator guard).</summary>
    DatabaseFacade Database { get; }

    /// <summary>
    /// Saves tracked changes, and with them an audit entry for every domain event the tracked entities raised (and
    /// every event passed to <see cref="Raise"/>, security events included), in the same transaction. The domain
    /// events (not the security events) are published once that transaction commits: at once without an explicit transaction, else when it
    /// commits; never when it rolls back. A unique-index violation surfaces as
    /// <see cref="UniqueConstraintException"/> whatever the database engine, a stale version as
    /// <see cref="DbUpdateConcurrencyException"/>.
    /// </summary>
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Raises an event for a change the change tracker does not see (ExecuteUpdate, ExecuteDelete), or a security
    /// event (<see cref="SecurityEvent"/>). It is recorded by the next <see cref="SaveChangesAsync"/>, in the order
    /// it was raised, and (a domain event) published like the others.
    /// </summary>
    void Raise(IDomainEvent domainEvent);

    /// <summary>The ids of the audit entries whose user, actor, changes or detail contain <paramref name="text"/> (3+ characters).</summary>
    IQueryable<long> AuditEntryIdsMatching(string text);

    /// <summary>
    /// Removes the audit entries that occurred before <paramref name="before"/>: retention pruning, the one deletion
    /// the database lets through (any other DELETE of an entry is refused by a trigger). Only inside a transaction
    /// the caller began, which is where the database is told that pruning is running; returns how many went.
    /// </summary>
    Task<int> RemoveAuditEntriesBeforeAsync(DateTime before, CancellationToken cancellationToken = default);
}

/// <summary>Hands out one short-lived context per operation (pooled in the infrastructure).</summary>
public interface IAppDbContextFactory
{
    Task<IAppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default);
}

/// <summary>A write hit a unique index; <see cref="IndexName"/> names which one.</summary>
public sealed class UniqueConstraintException(string indexName, Exception innerException)
    : Exception($"Unique index '{indexName}' refused the write.", innerException)
{
    public string IndexName { get; } = indexName;
}

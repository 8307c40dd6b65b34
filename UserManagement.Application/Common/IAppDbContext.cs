using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using UserManagement.Application.Accounts;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;

namespace UserManagement.Application.Common;

/// <summary>The unit of work a handler opens for one operation and disposes at its end.</summary>
public interface IAppDbContext : IAsyncDisposable
{
    DbSet<User> Users { get; }

    DbSet<UserSession> Sessions { get; }

    DbSet<SecurityEvent> SecurityEvents { get; }

    DbSet<MfaRecoveryCode> RecoveryCodes { get; }

    DbSet<Job> Jobs { get; }

    DbSet<ImportRow> ImportRows { get; }

    /// <summary>For the few operations that must read and write in one transaction (the last-administrator guard).</summary>
    DatabaseFacade Database { get; }

    /// <summary>
    /// Saves tracked changes. A unique-index violation surfaces as <see cref="UniqueConstraintException"/>
    /// whatever the database engine, a stale version as <see cref="DbUpdateConcurrencyException"/>.
    /// </summary>
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
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

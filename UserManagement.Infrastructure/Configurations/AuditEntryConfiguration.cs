using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserManagement.Application.Audit;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Sqlite.Audit;

namespace UserManagement.Infrastructure.Configurations;

/// <summary>
/// The audit trail's table. The id is SQLite's rowid (AUTOINCREMENT, never reused), so each index below also
/// holds it as its last column: "time, then id" — the trail's order — comes straight out of every index, and each
/// filter (actor, action, user, date range) seeks its own. Full-text search and the append-only trigger are
/// hand-written SQL: <see cref="SqliteAuditTrailSql"/>.
/// </summary>
public sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable(SqliteAuditTrailSql.Table);
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.Property(e => e.ActorName).HasMaxLength(AuditEntry.ActorNameMaxLength).IsRequired();
        builder.Property(e => e.Action).HasMaxLength(AuditEntry.ActionMaxLength).IsRequired();
        builder.Property(e => e.TargetName).HasMaxLength(UserRules.NameMaxLength);
        builder.Property(e => e.TargetEmail).HasMaxLength(UserRules.EmailMaxLength);
        builder.Property(e => e.CorrelationId).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Detail).HasMaxLength(AuditEntry.DetailMaxLength);
        builder.Property(e => e.Changes)
            .HasConversion(
                changes => JsonSerializer.Serialize(changes, AuditJson.Options),
                json => JsonSerializer.Deserialize<List<FieldChange>>(json, AuditJson.Options) ?? new List<FieldChange>(),
                new ValueComparer<IReadOnlyList<FieldChange>>(
                    (a, b) => a!.SequenceEqual(b!),
                    changes => changes.Aggregate(0, (hash, change) => HashCode.Combine(hash, change.GetHashCode())),
                    changes => changes.ToList()))
            .IsRequired();

        builder.HasIndex(e => e.OccurredAt).HasDatabaseName("IX_AuditEntries_OccurredAt");
        builder.HasIndex(e => new { e.ActorId, e.OccurredAt }).HasDatabaseName("IX_AuditEntries_ActorId_OccurredAt");
        builder.HasIndex(e => new { e.Action, e.OccurredAt }).HasDatabaseName("IX_AuditEntries_Action_OccurredAt");
        builder.HasIndex(e => new { e.TargetId, e.OccurredAt }).HasDatabaseName("IX_AuditEntries_TargetId_OccurredAt");
        builder.HasIndex(e => new { e.CorrelationId, e.OccurredAt }).HasDatabaseName("IX_AuditEntries_CorrelationId_OccurredAt");
    }
}

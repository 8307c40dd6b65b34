using UserManagement.Application.Common;

namespace UserManagement.Application.Audit;

/// <summary><see cref="Count"/> entries older than <see cref="Before"/> were removed under the configured retention.</summary>
public sealed record AuditTrailPruned(int Count, DateTime Before, int RetentionDays, DateTime OccurredAt) : IDomainEvent;

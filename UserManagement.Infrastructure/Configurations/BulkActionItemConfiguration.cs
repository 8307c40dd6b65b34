using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Configurations;

public sealed class BulkActionItemConfiguration : IEntityTypeConfiguration<BulkActionItem>
{
    public void Configure(EntityTypeBuilder<BulkActionItem> builder)
    {
        builder.ToTable("BulkActionItems");

        // Job id + user id: a user is in a bulk action once, and is changed by it once.
        builder.HasKey(i => new { i.JobId, i.UserId });
        builder.Property(i => i.Name).HasMaxLength(UserRules.NameMaxLength * 2).IsRequired();
        builder.Property(i => i.Email).HasMaxLength(UserRules.EmailMaxLength * 2).IsRequired();
        builder.Property(i => i.Outcome).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(i => i.Reason).HasMaxLength(BulkActionItem.ReasonMaxLength);

        // The worker reads the next pending items of a job in order; the job page reads them by outcome.
        builder.HasIndex(i => new { i.JobId, i.Outcome, i.Position }).HasDatabaseName("IX_BulkActionItems_JobId_Outcome_Position");
        builder.HasOne<Job>().WithMany().HasForeignKey(i => i.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}

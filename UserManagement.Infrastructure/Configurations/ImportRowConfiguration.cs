using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Configurations;

public sealed class ImportRowConfiguration : IEntityTypeConfiguration<ImportRow>
{
    public void Configure(EntityTypeBuilder<ImportRow> builder)
    {
        builder.ToTable("ImportRows");

        // Job id + row number: each row of an import exists once, and is imported once.
        builder.HasKey(r => new { r.JobId, r.RowNumber });
        builder.Property(r => r.Name).HasMaxLength(UserRules.NameMaxLength * 2).IsRequired();
        builder.Property(r => r.Email).HasMaxLength(UserRules.EmailMaxLength * 2).IsRequired();
        builder.Property(r => r.Role).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(r => r.Reason).HasMaxLength(500);

        // The worker reads the next pending rows of a job in order; the jobs page reads a job's rows by outcome.
        builder.HasIndex(r => new { r.JobId, r.Outcome, r.RowNumber }).HasDatabaseName("IX_ImportRows_JobId_Outcome_RowNumber");
        builder.HasOne<Job>().WithMany().HasForeignKey(r => r.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserManagement.Application.Jobs;

namespace UserManagement.Infrastructure.Configurations;

public sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.ToTable("Jobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Id).ValueGeneratedNever();
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(40).IsRequired();
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(j => j.Title).HasMaxLength(200).IsRequired();
        builder.Property(j => j.RequestedBy).HasMaxLength(254).IsRequired();
        builder.Property(j => j.CancellationRequestedBy).HasMaxLength(254);
        builder.Property(j => j.Summary).HasMaxLength(Job.SummaryMaxLength);
        builder.Property(j => j.LastError).HasMaxLength(Job.ErrorMaxLength);
        builder.Ignore(j => j.Handled);
        builder.Ignore(j => j.IsFinished);

        // The jobs page lists the newest first.
        builder.HasIndex(j => new { j.RequestedAt, j.Id }).HasDatabaseName("IX_Jobs_RequestedAt_Id");
    }
}

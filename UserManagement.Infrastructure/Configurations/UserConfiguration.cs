using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Configurations;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Ignore(u => u.DomainEvents);
        builder.Ignore(u => u.RaisedEvents);
        builder.Ignore(u => u.Ref);

        builder.Property(u => u.Name).HasMaxLength(UserRules.NameMaxLength).IsRequired();
        builder.Property(u => u.NormalizedName).HasMaxLength(UserRules.NameMaxLength).IsRequired();
        builder.Property(u => u.Email).HasMaxLength(UserRules.EmailMaxLength).IsRequired();
        builder.Property(u => u.NormalizedEmail).HasMaxLength(UserRules.EmailMaxLength).IsRequired();

        // Names rather than numbers: readable in the database, and they sort the way the screen shows them.
        builder.Property(u => u.Role).HasConversion<string>().HasMaxLength(20).IsRequired();
        builder.Property(u => u.Status).HasConversion<string>().HasMaxLength(20).IsRequired();

        builder.Property(u => u.PasswordHash).HasMaxLength(512);
        builder.Property(u => u.SecurityStamp).HasMaxLength(64).IsRequired();
        builder.Property(u => u.MfaSecret).HasMaxLength(1024);

        builder.Property(u => u.CreatedAt).IsRequired();
        builder.Property(u => u.UpdatedAt).IsRequired();

        // SQLite has no database-generated row version: the entity moves Version on every change and EF adds
        // "AND Version = @loaded" to each UPDATE and DELETE.
        builder.Property(u => u.Version).IsConcurrencyToken();

        builder.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName(UserRules.UniqueEmailIndex);
        builder.HasIndex(u => new { u.NormalizedName, u.Id }).HasDatabaseName("IX_Users_NormalizedName_Id");
        builder.HasIndex(u => new { u.CreatedAt, u.Id }).HasDatabaseName("IX_Users_CreatedAt_Id");
    }
}

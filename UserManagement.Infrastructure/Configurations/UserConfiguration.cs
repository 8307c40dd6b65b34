using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Configurations;

public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public const string UsersWithPasswordIndex = "IX_Users_Role_Status_WithPassword";

    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
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
        // The list sorts and searches its own read model, which has an index per sort key: none here.

        // The start-up check "can an active administrator sign in?" (AdministratorBootstrap) reads this index: only
        // users with a password are in it, so at a million seeded users it holds a handful of rows instead of the
        // check scanning the table (ADR 0018).
        builder.HasIndex(u => new { u.Role, u.Status })
            .HasFilter("\"PasswordHash\" IS NOT NULL")
            .HasDatabaseName(UsersWithPasswordIndex);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Configurations;

public sealed class PasskeyConfiguration : IEntityTypeConfiguration<Passkey>
{
    public void Configure(EntityTypeBuilder<Passkey> builder)
    {
        builder.ToTable("Passkeys");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.CredentialId).HasMaxLength(1023).IsRequired();
        builder.Property(p => p.PublicKey).IsRequired();
        builder.Property(p => p.Name).HasMaxLength(Passkey.NameMaxLength).IsRequired();
        builder.Property(p => p.AttestationFormat).HasMaxLength(32).IsRequired();

        // A user's passkeys go with the user.
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => p.UserId);
        builder.HasIndex(p => p.CredentialId).IsUnique().HasDatabaseName(Passkey.UniqueCredentialIdIndex);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Configurations;

public sealed class PasskeyChallengeConfiguration : IEntityTypeConfiguration<PasskeyChallenge>
{
    public void Configure(EntityTypeBuilder<PasskeyChallenge> builder)
    {
        builder.ToTable("PasskeyChallenges");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Options).IsRequired();
        builder.Property(c => c.EmailKey).HasMaxLength(UserRules.EmailMaxLength);

        // Expired challenges are deleted by this key when the next one is issued.
        builder.HasIndex(c => c.ExpiresAt);
    }
}

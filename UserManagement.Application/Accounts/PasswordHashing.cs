namespace UserManagement.Application.Accounts;

public enum PasswordVerification
{
    Failed,
    Succeeded,

    /// <summary>Right password, but hashed with weaker settings than today's: store a fresh hash.</summary>
    SucceededRehashNeeded,
}

/// <summary>Hashes and checks passwords (PBKDF2-HMAC-SHA512 in the infrastructure).</summary>
public interface IPasswordHasher
{
    string Hash(string password);

    PasswordVerification Verify(string passwordHash, string password);
}

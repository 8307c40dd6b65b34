using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using UserManagement.Application.Accounts;

namespace UserManagement.Web.Security;

/// <summary>
/// Protects the authenticator secrets at rest with ASP.NET Core Data Protection (the key ring that also protects
/// the cookies): a copy of the database alone does not give them away.
/// </summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    private readonly IDataProtector _protector = provider.CreateProtector("UserManagement.Mfa.TotpSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string? Unprotect(string protectedSecret)
    {
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

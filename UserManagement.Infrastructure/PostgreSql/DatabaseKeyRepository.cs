using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace UserManagement.Infrastructure.PostgreSql;

/// <summary>
/// The Data Protection key ring in the app's database (ADR 0031): every node of one database reads the keys the others
/// made, so a cookie or an authenticator secret protected on one node is read on any other. One context per operation
/// from the pooled factory; the package's own <c>PersistKeysToDbContext</c> would resolve a scoped context instead,
/// which the app does not register (a circuit could inject it and keep it for its life). The interface is
/// synchronous, and the app's context refuses a synchronous save (its audit trail is written asynchronously), so a
/// new key is written with one INSERT; keys are rare (one per 90 days) and never changed.
/// </summary>
public sealed class DatabaseKeyRepository(IDbContextFactory<AppDbContext> contexts) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = contexts.CreateDbContext();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).AsEnumerable()
            .Where(xml => !string.IsNullOrEmpty(xml)).Select(xml => XElement.Parse(xml!))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var db = contexts.CreateDbContext();
        var xml = element.ToString(SaveOptions.DisableFormatting);
        db.Database.ExecuteSql($"""INSERT INTO "DataProtectionKeys" ("FriendlyName", "Xml") VALUES ({friendlyName}, {xml})""");
    }
}

public static class DatabaseKeyRingRegistration
{
    /// <summary>Keeps the key ring in the app's database (<see cref="DatabaseKeyRepository"/>).</summary>
    public static IDataProtectionBuilder PersistKeysToAppDatabase(this IDataProtectionBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlRepository = new DatabaseKeyRepository(provider.GetRequiredService<IDbContextFactory<AppDbContext>>())));
        return builder;
    }
}

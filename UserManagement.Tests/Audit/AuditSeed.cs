using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Audit;

/// <summary>Writes audit entries straight into a test app's trail (adding is the one thing the context allows).</summary>
internal static class AuditSeed
{
    public static readonly OperationContext Ana = new(Guid.CreateVersion7(), "ana@example.com", "c-ana");
    public static readonly OperationContext Ben = new(Guid.CreateVersion7(), "ben@example.com", "c-ben");
    public static readonly UserRef Ada = new(Guid.CreateVersion7(), "Ada Lovelace", "ada@example.com");
    public static readonly UserRef Grace = new(Guid.CreateVersion7(), "Grace Hopper", "grace@example.com");

    public static async Task<List<long>> AddAsync(this TestApp app, params (DateTime At, OperationContext By, string Action, UserRef? About, string? Detail)[] entries)
    {
        await using var db = await app.OpenDbAsync();
        var added = entries.Select(e => AuditEntry.Create(e.At, e.By, e.Action, e.About, [], e.Detail)).ToList();
        db.AuditEntries.AddRange(added);
        await db.SaveChangesAsync();
        return [.. added.Select(a => a.Id)];
    }
}

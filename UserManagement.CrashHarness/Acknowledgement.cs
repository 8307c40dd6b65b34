using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.CrashHarness;

/// <summary>
/// One change the harness saw succeed: the line <c>ACK|kind|id|version|name|email|END</c>, printed only after the
/// command returned success. A line cut short by the kill has no END and does not count.
/// </summary>
public sealed record Acknowledgement(string Kind, Guid Id, long Version, string Name, string Email)
{
    public const string Created = "created";
    public const string Updated = "updated";

    private const string Prefix = "ACK|";
    private const string Suffix = "|END";

    public static void Print(Acknowledgement acknowledgement) =>
        Console.Out.WriteLine($"{Prefix}{acknowledgement.Kind}|{acknowledgement.Id}|{acknowledgement.Version}|{acknowledgement.Name}|{acknowledgement.Email}{Suffix}");

    /// <summary>The acknowledgement a whole line holds, or null for any other line.</summary>
    public static Acknowledgement? Parse(string? line)
    {
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal) || !line.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = line[Prefix.Length..^Suffix.Length].Split('|');
        return parts.Length == 5
            ? new Acknowledgement(parts[0], Guid.Parse(parts[1]), long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), parts[3], parts[4])
            : null;
    }
}

/// <summary>The harness acts as an administrator whose session is always valid: it tests storage, not sign-in.</summary>
internal sealed class HarnessOperator : ICurrentUser
{
    private static readonly Caller Operator =
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), "crash-harness@localhost", UserRole.Administrator, MustChangePassword: false);

    public ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<Caller?>(Operator);
}

using System.Reflection;

namespace UserManagement.Application.Accounts;

/// <summary>
/// The lists a password must not be on: our own (keyboard runs, base words with suffixes) and the 3,000 most
/// frequent passwords of 12+ characters in a real breach corpus, which ASVS 5.0 (6.2.4) asks for. Read from the
/// assembly once, at the first check.
/// </summary>
internal static class CommonPasswords
{
    internal static readonly IReadOnlyList<string> Lists =
        ["UserManagement.common-passwords.txt", "UserManagement.common-passwords-seclists.txt"];

    private static readonly Lazy<Loaded> Common = new(Load);

    /// <summary>The listed passwords, compared ignoring case.</summary>
    public static IReadOnlySet<string> Passwords => Common.Value.Passwords;

    /// <summary>The words inside the listed passwords ("summer" from "summer123456"), of 4+ letters.</summary>
    public static IReadOnlySet<string> Cores => Common.Value.Cores;

    /// <summary>How many distinct passwords the lists refuse.</summary>
    public static int Count => Common.Value.Passwords.Count;

    private sealed record Loaded(HashSet<string> Passwords, HashSet<string> Cores);

    private static Loaded Load()
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var list in Lists)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(list)
                ?? throw new InvalidOperationException($"The common-passwords list {list} is missing from the assembly.");
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0 && !line.StartsWith('#'))
                {
                    set.Add(line);
                }
            }
        }

        var cores = set.Select(PasswordRules.Core).Where(core => core.Count(char.IsLetter) >= 4).ToHashSet(StringComparer.Ordinal);
        return new Loaded(set, cores);
    }
}

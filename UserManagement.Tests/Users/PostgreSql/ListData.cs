using UserManagement.Application.Users;

namespace UserManagement.Tests.Users.PostgreSql;

/// <summary>Users to write into both databases: ids, names, emails and times that are the same every run.</summary>
public static class ListData
{
    private static readonly DateTime Start = new(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    private static readonly string[] Names =
    [
        "Ada Lovelace", "ada lovelace", "Élodie Durand", "Zoë Ōtsuka", "山田 太郎", "李小龙", "Ñandú Pérez", "Conan O'Brien",
        "Smith-Jones", "Ærøskøbing Ünal", "100% Sure_Thing", "Peter Smith", "Zoltan Kodály", "Émile Zola", "Bob", "Ōtsuka Ai",
        "Grace \"x\" Hopper", "Anne-Marie", "Zz Top", "alan turing",
    ];

    private static readonly string[] Domains = ["example.com", "example.org", "mail.example.co.uk", "bücher.example", "x-y.example"];

    /// <summary>
    /// <paramref name="count"/> users with repeated names, both roles and statuses, some never signed in, some locked,
    /// times to the second with ties, so every order breaks some ties by id.
    /// </summary>
    public static List<ListUser> Varied(int count)
    {
        var random = new Random(24);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var name = Names[i % Names.Length] + (i % 7 == 0 ? string.Empty : $" {i % 97}");
            var created = Start.AddMinutes(-(i * 37 % 1_013)).AddSeconds(i % 3);
            return new ListUser(
                IdFrom(random),
                name,
                $"u{i}@{Domains[i % Domains.Length]}",
                i % 11 == 0 ? UserRole.Administrator : UserRole.Member,
                i % 6 == 0 ? UserStatus.Disabled : UserStatus.Active,
                created,
                UpdatedAt: created.AddHours(i % 5),
                LastSignInAt: i % 4 == 1 ? null : Start.AddHours(-(i % 29)),
                LockedUntil: i % 50 == 0 ? Start.AddMinutes(15) : null,
                Version: 1 + (i % 3));
        })];
    }

    /// <summary>10,050 users whose name holds "Common" and 6,000 after them in name order who do not.</summary>
    public static List<ListUser> Broad()
    {
        var random = new Random(19);
        return
        [
            .. Enumerable.Range(0, 10_050).Select(i => new ListUser(
                IdFrom(random), $"{(char)('A' + (i % 25))}{i % 97} Common", $"c{i}@example.com",
                i % 50 == 0 ? UserRole.Administrator : UserRole.Member, UserStatus.Active, Start.AddSeconds(-(i % 4_000)))),
            .. Enumerable.Range(0, 6_000).Select(i => new ListUser(
                IdFrom(random), $"Zz Other {i}", $"o{i}@example.com", UserRole.Member, UserStatus.Active, Start.AddSeconds(-i))),
        ];
    }

    private static Guid IdFrom(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}

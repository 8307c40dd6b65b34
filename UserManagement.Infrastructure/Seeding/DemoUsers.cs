using System.Diagnostics;
using System.Globalization;
using System.Text;
using UserManagement.Application.Users;

namespace UserManagement.Infrastructure.Seeding;

/// <summary>What a seed did: refused because users exist, or added users in the time given.</summary>
public sealed record SeedOutcome(long ExistingUsers, int Added, TimeSpan Elapsed)
{
    public bool Refused => Added == 0 && ExistingUsers > 0;
}

/// <summary>
/// Fills a database with realistic demo users, fast: names from a dozen cultures and scripts, unique emails,
/// about 2% administrators and 8% disabled, created over five years, most having signed in since. The rows are made
/// here; the provider's <see cref="IDemoUserWriter"/> writes them in one transaction (a failed or interrupted seed leaves
/// the database as it was), the bulk way its engine does best, and rebuilds the users list's read model once at the end.
/// </summary>
/// <remarks>
/// Seeded users have no password (they cannot sign in) and are written straight to the table, not through
/// commands: demo data, not administrative changes, so they leave no audit trail.
/// </remarks>
public sealed class DemoUsers(IDemoUserWriter writer, TimeProvider clock)
{
    private static readonly string[] Locales = ["en", "fr", "de", "es", "it", "pl", "nl", "tr", "ru", "el", "ja", "zh_CN", "ko", "ar", "vi"];

    private static readonly string[] Domains =
        ["example.com", "example.org", "example.net", "mail.example", "corp.example", "uni.example", "shop.example", "team.example"];

    /// <summary>Adds <paramref name="count"/> users. Refuses a database that has users unless <paramref name="append"/>.</summary>
    public async Task<SeedOutcome> SeedAsync(
        int count, bool append, IProgress<string>? progress = null, int randomSeed = 20_261_201, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var started = Stopwatch.GetTimestamp();
        var existing = await writer.CountUsersAsync(cancellationToken);
        if (existing > 0 && !append)
        {
            return new SeedOutcome(existing, 0, Stopwatch.GetElapsedTime(started));
        }

        var rows = Generate(count, existing > 0, randomSeed);
        await writer.WriteAsync(rows, progress, cancellationToken);
        return new SeedOutcome(existing, count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The rows, in id order: a primary key's index then grows at its end.</summary>
    private DemoUser[] Generate(int count, bool append, int randomSeed)
    {
        var random = new Random(randomSeed);
        var people = NamePool.Build(random);
        // Emails are unique by a counter; an appended run adds a tag of its own so it cannot meet an earlier one.
        var tag = append ? "." + Guid.NewGuid().ToString("N")[..6] : string.Empty;
        var now = clock.GetUtcNow().UtcDateTime;
        var fiveYears = TimeSpan.FromDays(5 * 365).Ticks;

        var rows = new DemoUser[count];
        for (var i = 0; i < count; i++)
        {
            var person = people[random.Next(people.Count)];
            var createdAt = now - TimeSpan.FromTicks(random.NextInt64(fiveYears));
            var updatedAt = createdAt + TimeSpan.FromTicks(random.NextInt64((now - createdAt).Ticks + 1) / (random.Next(4) == 0 ? 1 : 50));
            DateTime? lastSignIn = random.Next(10) < 7 ? createdAt + TimeSpan.FromTicks(random.NextInt64((now - createdAt).Ticks + 1)) : null;
            var email = $"{person.Slug}.{i.ToString(CultureInfo.InvariantCulture)}{tag}@{Domains[random.Next(Domains.Length)]}";
            rows[i] = new DemoUser(
                Guid.CreateVersion7(new DateTimeOffset(createdAt)),
                person.Name,
                email,
                random.Next(100) < 2 ? UserRole.Administrator : UserRole.Member,
                random.Next(100) < 8 ? UserStatus.Disabled : UserStatus.Active,
                createdAt,
                updatedAt,
                lastSignIn,
                updatedAt == createdAt ? 1L : 2L + random.Next(5),
                Guid.NewGuid().ToString("N"));
        }

        // Guid's own order is its text's, which is the order of both engines' keys (upper-case text, uuid).
        Array.Sort(rows, (a, b) => a.Id.CompareTo(b.Id));
        return rows;
    }

    /// <summary>Full names drawn from Bogus's locales, each with an ASCII slug for its email.</summary>
    private static class NamePool
    {
        public static List<(string Name, string Slug)> Build(Random random)
        {
            Bogus.Randomizer.Seed = new Random(random.Next());
            var people = new List<(string, string)>();
            foreach (var locale in Locales)
            {
                var names = new Bogus.DataSets.Name(locale);
                for (var i = 0; i < 120; i++)
                {
                    var first = names.FirstName();
                    var last = names.LastName();
                    var name = UserRules.NormalizeName(locale is "ja" or "zh_CN" or "ko" ? last + first : $"{first} {last}");
                    if (UserRules.IsValidName(name))
                    {
                        people.Add((name, Slug(first, last, locale, i)));
                    }
                }
            }

            return people;
        }

        private static string Slug(string first, string last, string locale, int index)
        {
            var text = Bogus.Transliterater.Translate($"{first}.{last}", locale).ToLowerInvariant();
            var slug = new StringBuilder();
            foreach (var c in text.Normalize(NormalizationForm.FormD))
            {
                if (c is >= 'a' and <= 'z' or >= '0' and <= '9' || (c == '.' && slug.Length > 0 && slug[^1] != '.'))
                {
                    slug.Append(c);
                }
            }

            var result = slug.ToString().Trim('.');
            return result.Length >= 3 ? result[..Math.Min(result.Length, 40)] : $"user{locale.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}{index}";
        }
    }
}

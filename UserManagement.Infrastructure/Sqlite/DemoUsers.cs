using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Sqlite.Users;

namespace UserManagement.Infrastructure.Sqlite;

/// <summary>What a seed did: refused because users exist, or added users in the time given.</summary>
public sealed record SeedOutcome(long ExistingUsers, int Added, TimeSpan Elapsed)
{
    public bool Refused => Added == 0 && ExistingUsers > 0;
}

/// <summary>
/// Fills a database with realistic demo users, fast: names from a dozen cultures and scripts, unique emails,
/// about 2% administrators and 8% disabled, created over five years, most having signed in since. One
/// transaction, so a failed or interrupted seed leaves the database as it was. The users list's read model is
/// dropped first and built once at the end, with the same steps as the migration (bulk-building an index is
/// far faster than growing it row by row).
/// </summary>
/// <remarks>
/// Seeded users have no password (they cannot sign in) and are written straight to the table, not through
/// commands: demo data, not administrative changes, so they leave no audit trail.
/// </remarks>
public sealed class DemoUsers(IDbContextFactory<AppDbContext> contexts, TimeProvider clock)
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
        string connectionString;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            connectionString = db.Database.GetConnectionString()!;
        }

        // A connection of its own, outside the pool, with a big page cache for the bulk build.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = {SqliteConnectionSettings.BusyTimeoutMilliseconds}; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;", cancellationToken);

        var existing = Convert.ToInt64(await ScalarAsync(connection, "SELECT count(*) FROM Users", cancellationToken), CultureInfo.InvariantCulture);
        if (existing > 0 && !append)
        {
            return new SeedOutcome(existing, 0, Stopwatch.GetElapsedTime(started));
        }

        await using var transaction = connection.BeginTransaction();
        await ExecuteAsync(connection, SqliteUserListSchema.DropSql, cancellationToken);
        await InsertAsync(connection, count, existing > 0, randomSeed, progress, cancellationToken);

        var steps = SqliteUserListSchema.BuildSteps;
        for (var i = 0; i < steps.Count; i++)
        {
            progress?.Report($"Building the list's read model, step {i + 1}/{steps.Count}: {steps[i].Name}");
            await ExecuteAsync(connection, steps[i].Sql, cancellationToken);
        }

        progress?.Report("Committing");
        await transaction.CommitAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA optimize;", cancellationToken);
        return new SeedOutcome(existing, count, Stopwatch.GetElapsedTime(started));
    }

    private async Task InsertAsync(
        SqliteConnection connection, int count, bool append, int randomSeed, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var random = new Random(randomSeed);
        var people = NamePool.Build(random);
        // Emails are unique by a counter; an appended run adds a tag of its own so it cannot meet an earlier one.
        var tag = append ? "." + Guid.NewGuid().ToString("N")[..6] : string.Empty;
        var now = clock.GetUtcNow().UtcDateTime;
        var fiveYears = TimeSpan.FromDays(5 * 365).Ticks;

        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO Users (Id, Name, NormalizedName, Email, NormalizedEmail, Role, Status, CreatedAt, UpdatedAt,
                PasswordHash, MustChangePassword, TemporaryPasswordExpiresAt, FailedSignInCount, LockedUntil, LastSignInAt,
                SecurityStamp, Version)
            VALUES ($id, $name, $nameKey, $email, $emailKey, $role, $status, $createdAt, $updatedAt,
                NULL, 0, NULL, 0, NULL, $lastSignInAt, $stamp, $version)
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "$id", "$name", "$nameKey", "$email", "$emailKey", "$role", "$status", "$createdAt", "$updatedAt", "$lastSignInAt", "$stamp", "$version" })
        {
            p[name] = insert.Parameters.Add(name, SqliteType.Text);
        }

        p["$version"].SqliteType = SqliteType.Integer;
        await insert.PrepareAsync(cancellationToken);

        // Generated first and inserted in id order: the primary key's index then grows at its end.
        var rows = new Row[count];
        for (var i = 0; i < count; i++)
        {
            var person = people[random.Next(people.Count)];
            var createdAt = now - TimeSpan.FromTicks(random.NextInt64(fiveYears));
            var updatedAt = createdAt + TimeSpan.FromTicks(random.NextInt64((now - createdAt).Ticks + 1) / (random.Next(4) == 0 ? 1 : 50));
            DateTime? lastSignIn = random.Next(10) < 7 ? createdAt + TimeSpan.FromTicks(random.NextInt64((now - createdAt).Ticks + 1)) : null;
            var email = $"{person.Slug}.{i.ToString(CultureInfo.InvariantCulture)}{tag}@{Domains[random.Next(Domains.Length)]}";
            rows[i] = new Row(
                Guid.CreateVersion7(new DateTimeOffset(createdAt)).ToString().ToUpperInvariant(),
                person.Name,
                email,
                random.Next(100) < 2 ? UserRole.Administrator : UserRole.Member,
                random.Next(100) < 8 ? UserStatus.Disabled : UserStatus.Active,
                createdAt,
                updatedAt,
                lastSignIn,
                updatedAt == createdAt ? 1L : 2L + random.Next(5));
        }

        Array.Sort(rows, (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var reportEvery = Math.Max(1, Math.Min(50_000, count / 20));
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var row = rows[i];
            p["$id"].Value = row.Id;
            p["$name"].Value = row.Name;
            p["$nameKey"].Value = UserRules.NameKey(row.Name);
            p["$email"].Value = row.Email;
            p["$emailKey"].Value = UserRules.EmailKey(row.Email);
            p["$role"].Value = row.Role.ToString();
            p["$status"].Value = row.Status.ToString();
            p["$createdAt"].Value = row.CreatedAt;
            p["$updatedAt"].Value = row.UpdatedAt;
            p["$lastSignInAt"].Value = row.LastSignInAt is { } at ? at : DBNull.Value;
            p["$stamp"].Value = Guid.NewGuid().ToString("N");
            p["$version"].Value = row.Version;
            insert.ExecuteNonQuery();

            if ((i + 1) % reportEvery == 0 || i + 1 == count)
            {
                progress?.Report($"Users: {i + 1:N0} of {count:N0} ({(i + 1) * 100L / count}%)");
            }
        }
    }

    private sealed record Row(
        string Id, string Name, string Email, UserRole Role, UserStatus Status, DateTime CreatedAt, DateTime UpdatedAt,
        DateTime? LastSignInAt, long Version);

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
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

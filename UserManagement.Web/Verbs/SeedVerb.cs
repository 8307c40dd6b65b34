using System.Globalization;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Seeding;

namespace UserManagement.Web.Verbs;

/// <summary>
/// <c>seed [--users N] [--db PATH] [--append]</c>: migrates the database and fills it with N realistic demo
/// users (default 1,000,000), printing progress. It refuses a database that already has users unless
/// <c>--append</c> is given. Without <c>--db</c> it uses the database the app is configured with, which arguments of the
/// form <c>--Key=Value</c> configure as they would the app (<c>--Database:Provider=PostgreSQL
/// --ConnectionStrings:Default=Host=...</c>): on PostgreSQL it writes with one binary COPY.
/// </summary>
public static class SeedVerb
{
    public const string Name = "seed";

    public const int DefaultUsers = 1_000_000;

    public const string Usage = "Usage: seed [--users N] [--db PATH] [--append] [--Configuration:Key=Value ...]";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        if (!TryParse(args, out var users, out var database, out var append, out var configuration, out var problem))
        {
            await output.WriteLineAsync($"{problem}\n{Usage}");
            return 2;
        }

        var builder = WebApplication.CreateBuilder([.. configuration]);
        if (database is not null)
        {
            builder.Configuration["ConnectionStrings:Default"] = $"Data Source={Path.GetFullPath(database)}";
            builder.Configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)}"] = nameof(DatabaseProvider.Sqlite);
        }

        // The progress lines and the read model's steps, not every SQL command.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.AddUserManagement(builder.Configuration, builder.Environment.ContentRootPath);
        await using var app = builder.Build();
        await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();

        var progress = new ConsoleProgress(output);
        var outcome = await app.Services.GetRequiredService<DemoUsers>().SeedAsync(users, append, progress);
        if (outcome.Refused)
        {
            await output.WriteLineAsync(
                $"The database already has {outcome.ExistingUsers:N0} users; nothing was added. Pass --append to add {users:N0} more.");
            return 1;
        }

        progress.Done();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Seeded {outcome.Added:N0} users in {outcome.Elapsed.TotalSeconds:F1} s ({outcome.ExistingUsers + outcome.Added:N0} in the database)."));
        return 0;
    }

    private static bool TryParse(
        string[] args, out int users, out string? database, out bool append, out List<string> configuration, out string problem)
    {
        users = DefaultUsers;
        configuration = [];
        database = null;
        append = false;
        problem = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--users" when i + 1 < args.Length
                    && int.TryParse(args[i + 1].Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out users)
                    && users > 0:
                    i++;
                    break;
                case "--users":
                    problem = "--users needs a whole number above zero.";
                    return false;
                case "--db" when i + 1 < args.Length:
                    database = args[++i];
                    break;
                case "--append":
                    append = true;
                    break;
                case var setting when setting.StartsWith("--", StringComparison.Ordinal) && setting.Contains('=', StringComparison.Ordinal):
                    configuration.Add(setting);
                    break;
                default:
                    problem = $"Unknown option: {args[i]}";
                    return false;
            }
        }

        return true;
    }

    /// <summary>Rewrites one progress line in place on a terminal; a new line for each step elsewhere.</summary>
    private sealed class ConsoleProgress(TextWriter output) : IProgress<string>
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly bool _inPlace = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);

        public void Report(string value)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed.TotalSeconds,5:F1} s] {value}");
            if (_inPlace)
            {
                output.Write("\r" + line.PadRight(Math.Max(line.Length, Console.WindowWidth - 1)));
            }
            else
            {
                output.WriteLine(line);
            }
        }

        public void Done()
        {
            if (_inPlace)
            {
                output.WriteLine();
            }
        }
    }
}

using Mediator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Web;

namespace UserManagement.CrashHarness;

/// <summary>
/// Usage: <c>UserManagement.CrashHarness --database PATH --writers 8 --run N</c>. Prints READY once migrated, then
/// one <see cref="Acknowledgement"/> line per command that returned success, until it is killed.
/// </summary>
internal static class CrashHarnessProgram
{
    public static async Task Main(string[] args)
    {
        var settings = new ConfigurationBuilder().AddCommandLine(args).Build();
        var database = settings["database"] ?? throw new ArgumentException("--database PATH is required");
        var writers = int.Parse(settings["writers"] ?? "8", System.Globalization.CultureInfo.InvariantCulture);
        var run = settings["run"] ?? "0";

        var services = new ServiceCollection()
            // Anything worth a warning goes to stderr, where the test sees it; stdout carries only acknowledgements.
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
                .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddUserManagement(
                new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = $"Data Source={database}" }).Build(),
                Path.GetDirectoryName(Path.GetFullPath(database))!)
            .AddSingleton<ICurrentUser, HarnessOperator>()
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        Console.Out.WriteLine("READY");

        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            var mine = new List<(Guid Id, long Version)>();
            for (var n = 0; ; n++)
            {
                await using var scope = services.CreateAsyncScope();
                var sender = scope.ServiceProvider.GetRequiredService<ISender>();
                if (n % 2 == 0 || mine.Count == 0)
                {
                    var name = $"Run {run} writer {writer} user {n}";
                    var email = $"r{run}.w{writer}.u{n}@crash.example";
                    var created = await sender.Send(new CreateUserCommand(name, email, UserRole.Member));
                    if (created.IsSuccess)
                    {
                        mine.Add((created.Value, 1));
                        Acknowledgement.Print(new Acknowledgement(Acknowledgement.Created, created.Value, 1, name, email));
                    }
                }
                else
                {
                    var index = n % mine.Count;
                    var (id, version) = mine[index];
                    var name = $"Run {run} writer {writer} edit {n}";
                    var email = $"r{run}.w{writer}.e{n}@crash.example";
                    var updated = await sender.Send(new UpdateUserCommand(id, name, email, UserRole.Member, version));
                    if (updated.IsSuccess)
                    {
                        mine[index] = (id, updated.Value);
                        Acknowledgement.Print(new Acknowledgement(Acknowledgement.Updated, id, updated.Value, name, email));
                    }
                }
            }
        })));
    }
}

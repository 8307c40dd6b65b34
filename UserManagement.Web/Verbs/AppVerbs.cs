using JasperFx;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite;

namespace UserManagement.Web.Verbs;

/// <summary>
/// Decides from the command line whether to run a verb and exit, or to start the web app. Our own verbs
/// (<c>seed</c>, <c>backup --to PATH</c>, <c>restore --from PATH</c>) run before the web host is built, each from a
/// file of its own beside this one; the rest of their arguments configure them as they would the app
/// (<c>--ConnectionStrings:Default=...</c>), so a verb finds the same database the app uses. The message
/// bus's verbs (JasperFx: <c>codegen write</c> regenerates the bus's handler code, <c>codegen preview</c> prints it,
/// <c>describe</c> shows the bus's configuration) need the built app: <see cref="IsBusVerb"/> and
/// <see cref="RunBusVerbAsync"/>. Anything else starts the app.
/// </summary>
public static class AppVerbs
{
    private static readonly HashSet<string> BusVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "codegen", "describe", "help", "resources", "storage", "check-env",
    };

    /// <summary>Runs the verb of ours that <paramref name="args"/> names and returns its exit code, or null to go on.</summary>
    public static Task<int?> TryRunAsync(string[] args) => TryRunAsync(args, Console.Out, Console.Error);

    public static async Task<int?> TryRunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            return null;
        }

        return args[0] switch
        {
            SeedVerb.Name => await SeedVerb.RunAsync(args[1..], output),
            BackupVerb.Name => await BackupVerb.RunAsync(args[1..], output, error),
            RestoreVerb.Name => await RestoreVerb.RunAsync(args[1..], output, error),
            _ => null,
        };
    }

    /// <summary>True when <paramref name="args"/> name one of the bus's verbs rather than options for the web app.</summary>
    public static bool IsBusVerb(string[] args) => args.Length > 0 && BusVerbs.Contains(args[0]);

    /// <summary>Runs the bus's verb on the built app; returns the process exit code.</summary>
    public static Task<int> RunBusVerbAsync(WebApplication app, string[] args) => app.RunJasperFxCommands(args);

    /// <summary>
    /// Takes <paramref name="option"/> and its value out of <paramref name="args"/>; the remaining arguments are
    /// configuration. Null when the option is missing or has no value.
    /// </summary>
    internal static string? TakeOption(ref string[] args, string option)
    {
        var at = Array.IndexOf(args, option);
        if (at < 0 || at + 1 >= args.Length)
        {
            return null;
        }

        var value = args[at + 1];
        args = [.. args[..at], .. args[(at + 2)..]];
        return value;
    }

    /// <summary>
    /// The SQLite database the app would use with these configuration arguments (appsettings, environment, arguments);
    /// null when they choose another provider, whose files are not the app's to copy.
    /// </summary>
    internal static string? SqliteConnectionStringFor(string[] configurationArgs)
    {
        var builder = WebApplication.CreateSlimBuilder(configurationArgs);
        return DatabaseOptions.ProviderOf(builder.Configuration) == DatabaseProvider.Sqlite
            ? SqliteConnectionString.Resolve(builder.Configuration.GetConnectionString("Default"), builder.Environment.ContentRootPath)
            : null;
    }

    /// <summary>What a file verb says when the app's data is on a database server rather than in its SQLite file.</summary>
    internal static string NotOnServer(string verb) =>
        $"{verb} works on the SQLite file only. With Database:Provider=PostgreSQL the data lives on the server: use its own "
        + "backup and restore (pg_dump / pg_restore), see docs/operations.md.";
}

namespace UserManagement.Web.Commands;

/// <summary>
/// Decides from the arguments whether to run a maintenance command and exit, or start the web app:
/// <c>UserManagement.Web backup --to PATH</c>, <c>UserManagement.Web restore --from PATH</c>. Any other first
/// argument (or none) starts the web app. The rest of the arguments configure the command as they would the
/// app (<c>--ConnectionStrings:Default=...</c>), so a command finds the same database the app uses.
/// </summary>
public static class CommandLine
{
    /// <summary>The command's exit code, or null when the arguments name no command and the web app should start.</summary>
    public static Task<int?> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    public static async Task<int?> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            return null;
        }

        return args[0] switch
        {
            BackupCommand.Name => await BackupCommand.RunAsync(args[1..], output, error),
            RestoreCommand.Name => await RestoreCommand.RunAsync(args[1..], output, error),
            _ => null,
        };
    }

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

    /// <summary>The database the app would use with these configuration arguments (appsettings, environment, arguments).</summary>
    internal static string ConnectionStringFor(string[] configurationArgs)
    {
        var builder = WebApplication.CreateSlimBuilder(configurationArgs);
        return Infrastructure.DependencyInjection.ResolveSqliteConnectionString(
            builder.Configuration.GetConnectionString("Default"), builder.Environment.ContentRootPath);
    }
}

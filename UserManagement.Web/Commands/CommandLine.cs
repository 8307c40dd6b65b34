using JasperFx;

namespace UserManagement.Web.Commands;

/// <summary>
/// Decides from the command line whether to run a command and exit, or to start the web app. Today the only
/// commands are the message bus's own (JasperFx): <c>codegen write</c> regenerates the bus's handler code,
/// <c>codegen preview</c> prints it, <c>describe</c> shows the bus's configuration. Verbs of ours (seed,
/// backup, restore) go first in <see cref="RunAsync"/>; anything else that is not an option starts the app.
/// </summary>
public static class CommandLine
{
    private static readonly HashSet<string> BusVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "codegen", "describe", "help", "resources", "storage", "check-env",
    };

    /// <summary>True when <paramref name="args"/> name a command rather than options for the web app.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && BusVerbs.Contains(args[0]);

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static Task<int> RunAsync(WebApplication app, string[] args) => app.RunJasperFxCommands(args);
}

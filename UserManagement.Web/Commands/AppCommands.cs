using JasperFx;

namespace UserManagement.Web.Commands;

/// <summary>
/// Decides from the command line whether to run a command and exit, or to start the web app. Our own verbs
/// (<c>seed ...</c>) run before the web host is built, each from a file of its own beside this one. The message
/// bus's verbs (JasperFx: <c>codegen write</c> regenerates the bus's handler code, <c>codegen preview</c> prints it,
/// <c>describe</c> shows the bus's configuration) need the built app: <see cref="IsBusCommand"/> and
/// <see cref="RunBusCommandAsync"/>. Anything else starts the app.
/// </summary>
public static class AppCommands
{
    private static readonly HashSet<string> BusVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "codegen", "describe", "help", "resources", "storage", "check-env",
    };

    /// <summary>Runs the command of ours that <paramref name="args"/> names and returns its exit code, or null to go on.</summary>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            return null;
        }

        return args[0] switch
        {
            SeedCommand.Name => await SeedCommand.RunAsync(args[1..], Console.Out),
            _ => null,
        };
    }

    /// <summary>True when <paramref name="args"/> name one of the bus's commands rather than options for the web app.</summary>
    public static bool IsBusCommand(string[] args) => args.Length > 0 && BusVerbs.Contains(args[0]);

    /// <summary>Runs the bus's command on the built app; returns the process exit code.</summary>
    public static Task<int> RunBusCommandAsync(WebApplication app, string[] args) => app.RunJasperFxCommands(args);
}

namespace UserManagement.Web.Commands;

/// <summary>
/// Decides from the command line whether to run a command and exit (<c>seed ...</c>) or to start the web app.
/// Each command lives in a file of its own beside this one.
/// </summary>
public static class AppCommands
{
    /// <summary>Runs the command <paramref name="args"/> names and returns true, or returns false to start the app.</summary>
    public static async Task<bool> TryRunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            return false;
        }

        switch (args[0])
        {
            case SeedCommand.Name:
                Environment.ExitCode = await SeedCommand.RunAsync(args[1..], Console.Out);
                return true;
            default:
                return false;
        }
    }
}

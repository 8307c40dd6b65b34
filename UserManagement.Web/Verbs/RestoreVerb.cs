using Microsoft.Data.Sqlite;
using UserManagement.Infrastructure.Sqlite;

namespace UserManagement.Web.Verbs;

/// <summary>
/// <c>restore --from PATH</c>: replaces the database with a verified backup. It refuses while the app runs on
/// the database (stop the service first), and keeps the database it replaces beside it.
/// </summary>
public static class RestoreVerb
{
    public const string Name = "restore";

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var backup = AppVerbs.TakeOption(ref args, "--from");
        if (backup is null)
        {
            error.WriteLine("Usage: UserManagement.Web restore --from PATH   (stop the app first)");
            return Task.FromResult(2);
        }

        try
        {
            if (AppVerbs.SqliteConnectionStringFor(args) is not { } target)
            {
                error.WriteLine(AppVerbs.NotOnServer("restore"));
                return Task.FromResult(2);
            }

            output.WriteLine($"Restoring {Path.GetFullPath(backup)} over {new SqliteConnectionStringBuilder(target).DataSource} ...");
            var outcome = DatabaseBackup.Restore(target, backup, DateTime.UtcNow);
            if (outcome.PreviousSavedAs is not null)
            {
                output.WriteLine($"The database it replaced was saved as {outcome.PreviousSavedAs}.");
            }

            output.WriteLine("Restored: integrity check ok. Start the app; it applies any migration the backup lacks.");
            BackupVerb.Describe(outcome.Restored, output);
            return Task.FromResult(0);
        }
        catch (DatabaseOperationException e)
        {
            error.WriteLine($"Restore refused: {e.Message}");
            return Task.FromResult(1);
        }
    }
}

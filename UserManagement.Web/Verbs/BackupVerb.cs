using Microsoft.Data.Sqlite;
using UserManagement.Infrastructure.Sqlite;

namespace UserManagement.Web.Verbs;

/// <summary><c>backup --to PATH</c>: a verified, consistent copy of the live database; safe while the app serves.</summary>
public static class BackupVerb
{
    public const string Name = "backup";

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var destination = AppVerbs.TakeOption(ref args, "--to");
        if (destination is null)
        {
            error.WriteLine("Usage: UserManagement.Web backup --to PATH   (PATH must not exist yet)");
            return Task.FromResult(2);
        }

        try
        {
            if (AppVerbs.SqliteConnectionStringFor(args) is not { } source)
            {
                error.WriteLine(AppVerbs.NotOnServer("backup"));
                return Task.FromResult(2);
            }

            output.WriteLine($"Backing up {new SqliteConnectionStringBuilder(source).DataSource} ...");
            var summary = DatabaseBackup.Backup(source, destination);
            output.WriteLine($"Backup written to {summary.File}: integrity check ok.");
            Describe(summary, output);
            return Task.FromResult(0);
        }
        catch (DatabaseOperationException e)
        {
            error.WriteLine($"Backup failed: {e.Message}");
            return Task.FromResult(1);
        }
    }

    internal static void Describe(DatabaseSummary summary, TextWriter output)
    {
        output.WriteLine($"  {summary.Bytes:N0} bytes, {summary.Migrations.Count} migration(s), the latest {(summary.Migrations.Count > 0 ? summary.Migrations[^1] : "none")}");
        foreach (var (table, rows) in summary.RowsByTable)
        {
            output.WriteLine($"  {table}: {rows:N0} row(s)");
        }
    }
}

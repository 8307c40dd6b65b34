using Microsoft.Data.Sqlite;

namespace UserManagement.Tests.Support;

/// <summary>
/// A folder of one test's own under the system temp folder (<c>usermanagement-&lt;purpose&gt;/&lt;guid&gt;</c>), created at
/// once, for its database files, keys and outputs. Disposing it lets go of every pooled SQLite connection (a pooled
/// connection keeps its file open, and a file that is open cannot be deleted everywhere) and deletes the folder; a
/// folder that cannot be deleted is left behind, because clean-up never fails a test.
/// Every test that needs files of its own takes them from here: a test database that is no file (another provider)
/// will be one more kind of thing a test takes, beside this one, with the same lifetime.
/// </summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string purpose = "tests")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"usermanagement-{purpose}", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> (a file name, or a relative path) in this folder.</summary>
    public string File(string name) => System.IO.Path.GetFullPath(name, Path);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp folder left behind is harmless; never fail a test over clean-up.
        }
    }
}

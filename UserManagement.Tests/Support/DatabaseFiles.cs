namespace UserManagement.Tests.Support;

/// <summary>A SQLite database on disk is up to three files; these move them together, as a volume going away would.</summary>
public static class DatabaseFiles
{
    public static readonly string[] Suffixes = ["", "-wal", "-shm"];

    /// <summary>Moves the database at <paramref name="from"/> (and its -wal and -shm, where present) to <paramref name="to"/>.</summary>
    public static void Move(string from, string to)
    {
        foreach (var suffix in Suffixes)
        {
            if (File.Exists(from + suffix))
            {
                File.Move(from + suffix, to + suffix);
            }
        }
    }
}

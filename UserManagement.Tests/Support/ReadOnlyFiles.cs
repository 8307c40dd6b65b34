using System.ComponentModel;
using System.Diagnostics;

namespace UserManagement.Tests.Support;

/// <summary>
/// Makes files read-only for this process and back: by file mode for an ordinary user, and with the immutable
/// attribute (chattr +i) for root, who ignores file modes. Null when neither works here (a filesystem without
/// attributes, say). Never used on a -shm file: SQLite maps it into memory and a write would crash the process.
/// </summary>
public sealed class ReadOnlyFiles : IDisposable
{
    private readonly List<Action> _undo = [];

    private ReadOnlyFiles()
    {
    }

    public static ReadOnlyFiles? TryMake(params string[] files)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var readOnly = new ReadOnlyFiles();
        foreach (var file in files.Where(File.Exists))
        {
            if (Environment.IsPrivilegedProcess)
            {
                if (!Chattr("+i", file))
                {
                    readOnly.Dispose();
                    return null;
                }

                readOnly._undo.Add(() => Chattr("-i", file));
            }
            else
            {
                var mode = File.GetUnixFileMode(file);
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                readOnly._undo.Add(() => SetMode(file, mode));
            }
        }

        if (files.Where(File.Exists).Any(CanOpenForWriting))
        {
            readOnly.Dispose();
            return null;
        }

        return readOnly;
    }

    public void Dispose()
    {
        foreach (var undo in _undo)
        {
            undo();
        }

        _undo.Clear();
    }

    private static void SetMode(string file, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, mode);
        }
    }

    private static bool CanOpenForWriting(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static bool Chattr(string flag, string file)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, file]) { RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}

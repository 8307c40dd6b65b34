namespace UserManagement.Tests.Support;

/// <summary>Where the repository and the built web app are, seen from the running tests.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The full path of a file in the repository, such as <c>File("UserManagement.Web", "Program.cs")</c>.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The web app built in the same configuration as the tests (they run from bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string WebDll
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            return File("UserManagement.Web", "bin", configuration, "net10.0", "UserManagement.Web.dll");
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!System.IO.File.Exists(Path.Combine(directory!.FullName, "UserManagement.sln")))
        {
            directory = directory.Parent;
        }

        return directory.FullName;
    }
}

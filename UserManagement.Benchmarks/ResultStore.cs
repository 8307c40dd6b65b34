using System.Text.Json;

namespace UserManagement.Benchmarks;

/// <summary>Keeps each benchmark command's figures as JSON under artifacts/benchmarks/, for the report.</summary>
public static class ResultStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Directory
    {
        get
        {
            var directory = Path.Combine(RepositoryRoot(), "artifacts", "benchmarks");
            System.IO.Directory.CreateDirectory(directory);
            return directory;
        }
    }

    public static async Task SaveAsync<T>(string name, T value) =>
        await File.WriteAllTextAsync(Path.Combine(Directory, name + ".json"), JsonSerializer.Serialize(value, Json));

    public static async Task<T?> LoadAsync<T>(string name)
    {
        var file = Path.Combine(Directory, name + ".json");
        return File.Exists(file) ? JsonSerializer.Deserialize<T>(await File.ReadAllTextAsync(file), Json) : default;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "UserManagement.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? System.IO.Directory.GetCurrentDirectory();
    }
}

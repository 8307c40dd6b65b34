using System.Text;

namespace UserManagement.Tests.Support;

/// <summary>Import files for tests: CSV text in UTF-8, and rows of valid users.</summary>
public static class ImportFiles
{
    public const string Header = "name,email,role";

    public static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

    /// <summary>A header and <paramref name="count"/> valid rows, emails tagged with <paramref name="tag"/>.</summary>
    public static byte[] ValidRows(int count, string tag = "import") =>
        Csv([Header, .. Enumerable.Range(1, count).Select(i => Row(i, tag))]);

    public static string Row(int i, string tag = "import") => $"Person {i},person{i}.{tag}@example.com,{(i % 10 == 0 ? "Administrator" : "Member")}";
}

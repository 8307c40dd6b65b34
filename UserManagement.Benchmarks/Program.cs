namespace UserManagement.Benchmarks;

/// <summary>The entry point (a named class, so it does not meet the web app's Program in the tests).</summary>
internal static class BenchmarkProgram
{
    public static Task<int> Main(string[] args) => BenchmarkCommands.RunAsync(args);
}

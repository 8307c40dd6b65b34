namespace UserManagement.Benchmarks.Browser;

public sealed partial class BrowserLoad
{
    /// <summary>
    /// Opens the users list in one browser context after another and, at each count in <paramref name="circuits"/>,
    /// takes a gcdump after a full GC, kept as artifacts/benchmarks/heap-N.gcdump: the difference between two dumps
    /// by type (<c>dotnet-gcdump report</c>) is what each circuit retains. Prints the managed heap at each count
    /// and the slope per circuit between the first and the last.
    /// </summary>
    public async Task<IReadOnlyList<(int Circuits, long Bytes)>> HeapAsync(IReadOnlyList<int> circuits)
    {
        await using var app = await StartAnsweringAsync();
        var baseUrl = app.BaseUrl;
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var state = await SignInAsync(browser, baseUrl);
        var errors = new ErrorCounter();
        var pages = new List<Microsoft.Playwright.IPage>();
        var heaps = new List<(int, long)>();
        foreach (var count in circuits)
        {
            await OpenUntilAsync(browser, baseUrl, state, pages, count, errors);
            var bytes = await HeapAfterFullGcAsync(app.Process.Id, $"heap-{count}.gcdump");
            heaps.Add((count, bytes));
            log.WriteLine($"{count} circuits: managed heap {bytes / 1024.0 / 1024:F1} MB (artifacts/benchmarks/heap-{count}.gcdump)");
        }

        if (heaps.Count > 1)
        {
            var (first, last) = (heaps[0], heaps[^1]);
            log.WriteLine($"Retained per circuit: {(last.Item2 - first.Item2) / (double)(last.Item1 - first.Item1) / 1024:F0} KB ({first.Item1} → {last.Item1} circuits), {errors.Count} circuit errors");
        }

        foreach (var kind in errors.Kinds(20))
        {
            log.WriteLine($"  error: {kind}");
        }

        return heaps;
    }
}

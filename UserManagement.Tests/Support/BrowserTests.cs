using Microsoft.Playwright;

namespace UserManagement.Tests.Support;

/// <summary>
/// Base for browser tests: skips without Chromium (outside CI), tracks the browser contexts a test opens,
/// saves evidence when it fails, and closes them.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public abstract class BrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    protected BrowserFixture Browser => browser;

    /// <summary>A tag unique to this test, to keep its data apart from the other tests' on the shared app.</summary>
    protected string Tag { get; } = Guid.NewGuid().ToString("N")[..8];

    public ValueTask InitializeAsync()
    {
        browser.RequireBrowser();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await BrowserFixture.SaveFailureEvidenceAsync(_contexts);
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A page signed in as the bootstrap administrator, open and interactive at <paramref name="path"/>.</summary>
    protected async Task<IPage> Open(string path, int width = 1280, int height = 800) =>
        Track(await browser.OpenAsync(path, width, height));

    /// <summary>A page in a browser context nobody has signed in to (at <paramref name="baseUrl"/>, when given).</summary>
    protected async Task<IPage> Anonymous(string? baseUrl = null) => Track(await browser.OpenAnonymousAsync(baseUrl: baseUrl));

    /// <summary>As <see cref="Open"/>, in a context that lets axe's script past the Content-Security-Policy.</summary>
    protected async Task<IPage> OpenForAxe(string path) => Track(await browser.OpenAsync(path, bypassCsp: true));

    /// <summary>As <see cref="Anonymous"/>, in a context that lets axe's script past the Content-Security-Policy.</summary>
    protected async Task<IPage> AnonymousForAxe(string? baseUrl = null) => Track(await browser.OpenAnonymousAsync(bypassCsp: true, baseUrl: baseUrl));

    /// <summary>Presses Tab until <paramref name="target"/> has the focus, as someone without a mouse would.</summary>
    protected static async Task FocusByTab(IPage page, ILocator target, int limit = 60)
    {
        await Assertions.Expect(target).ToBeVisibleAsync();
        for (var i = 0; i < limit; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        throw new ShouldAssertException($"{limit} presses of Tab never reached the control");
    }

    private IPage Track(IPage page)
    {
        _contexts.Add(page.Context);
        return page;
    }
}

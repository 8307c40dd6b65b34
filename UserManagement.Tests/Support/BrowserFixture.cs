using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Tests.Support;

/// <summary>
/// The real app on a real Kestrel port with a temp SQLite file, and the system Chromium driven by Playwright.
/// Shared by the browser tests of one collection; each test opens its own browser context.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new("e2e");
    private AppHost? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public const string AdminEmail = "admin@e2e.example";
    public const string AdminPassword = "correct e2e admin horse 42";

    private (string State, long SignedInAt)? _adminState;

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The app at an origin configured for passkeys (http://localhost:port: a secure context with a host name).</summary>
    public string PasskeyBaseUrl { get; private set; } = string.Empty;

    /// <summary>The same app at an origin of the same relying party that is not configured: passkey answers from it are refused.</summary>
    public string UnlistedOriginBaseUrl { get; private set; } = string.Empty;

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public string? Unavailable { get; private set; }

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(Unavailable);

    public IServiceProvider Services => _server!.Services;

    public async ValueTask InitializeAsync()
    {
        var chromium = SystemChromium.Find();
        if (chromium is null)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                throw new InvalidOperationException($"CI must run the browser tests. {SystemChromium.InstallHint}");
            }

            Unavailable = SystemChromium.InstallHint;
            return;
        }

        // Passkeys need a host name (a relying party id cannot be an IP address) known before the start: the app listens
        // on two ports, and only the first is a configured origin; the second is "another site" of the same party.
        int[] ports = [AppHost.FreePort(), AppHost.FreePort()];
        _server = AppHost.StartKestrel(_folder.File("e2e.db"), new Dictionary<string, string>
        {
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            // Every test signs in from 127.0.0.1; the limiter has a test of its own.
            ["Security:SignInPermitLimit"] = "1000",
            ["Security:PasskeyRelyingPartyId"] = "localhost",
            ["Security:PasskeyOrigins:0"] = $"http://localhost:{ports[0]}",
        }, ports);
        BaseUrl = _server.BaseUrl;
        PasskeyBaseUrl = $"http://localhost:{ports[0]}";
        UnlistedOriginBaseUrl = $"http://localhost:{ports[1]}";

        // The machines running the suite are shared and busy: give the UI time to answer, not a race to win.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = SystemChromium.LaunchArgs,
        });
    }

    /// <summary>Skips the calling test, with instructions, where no Chromium is installed (never in CI).</summary>
    public void RequireBrowser()
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }
    }

    /// <summary>
    /// A fresh browser context (own cookies and storage) signed in as the bootstrap administrator, with one page
    /// open at <paramref name="path"/>, ready to click.
    /// </summary>
    public async Task<IPage> OpenAsync(string path, int width = 1280, int height = 800, bool bypassCsp = false)
    {
        // The app runs on the real clock here, so the sign-in's age is real time.
        if (_adminState is not { } admin || ReusedSignIn.IsStale(Stopwatch.GetElapsedTime(admin.SignedInAt)))
        {
            var signedInAt = Stopwatch.GetTimestamp();
            admin = (await SignInStateAsync(AdminEmail, AdminPassword), signedInAt);
            _adminState = admin;
        }

        var page = await NewPageAsync(width, height, admin.State, bypassCsp);
        await GoToAsync(page, path);
        return page;
    }

    /// <summary>
    /// A fresh browser context that nobody has signed in to yet. <paramref name="bypassCsp"/> lets axe inject its
    /// script past the app's Content-Security-Policy: only for the accessibility checks.
    /// </summary>
    public Task<IPage> OpenAnonymousAsync(int width = 1280, int height = 800, bool bypassCsp = false, string? baseUrl = null) =>
        NewPageAsync(width, height, storageState: null, bypassCsp, baseUrl);

    /// <summary>Signs in through the sign-in page, as a person would.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
    }

    private async Task<string> SignInStateAsync(string email, string password)
    {
        var page = await NewPageAsync(1280, 800, storageState: null);
        await page.GotoAsync("/signin");
        await SignInAsync(page, email, password);
        await WaitUntilInteractiveAsync(page);
        var state = await page.Context.StorageStateAsync();
        await page.Context.CloseAsync();
        return state;
    }

    /// <summary>
    /// After a failed test: a screenshot of each of its pages and what their consoles said, under
    /// artifacts/test-results/browser-failures, so a red run in CI can be read without rerunning it.
    /// </summary>
    public static async Task SaveFailureEvidenceAsync(IEnumerable<IBrowserContext> contexts)
    {
        if (TestContext.Current.TestState?.Result != TestResult.Failed)
        {
            return;
        }

        var directory = Repository.File("artifacts", "test-results", "browser-failures");
        Directory.CreateDirectory(directory);
        var name = string.Concat((TestContext.Current.Test?.TestDisplayName ?? "test").Split(Path.GetInvalidFileNameChars()));
        var index = 0;
        foreach (var page in contexts.SelectMany(c => c.Pages))
        {
            index++;
            await page.ScreenshotAsync(new() { Path = Path.Combine(directory, $"{name}-{index}.png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(directory, $"{name}-{index}.txt"), $"{page.Url}\n{await page.ContentAsync()}");
        }
    }

    private async Task<IPage> NewPageAsync(int width, int height, string? storageState, bool bypassCsp = false, string? baseUrl = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl ?? BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            StorageState = storageState,
            BypassCSP = bypassCsp,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Loads <paramref name="path"/> and waits until the circuit is connected and the page can respond.</summary>
    public static async Task GoToAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await WaitUntilInteractiveAsync(page);
    }

    public static Task WaitUntilInteractiveAsync(IPage page) =>
        page.Locator("body[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>
    /// On the two-factor page (<c>/account/mfa</c>), sets up an authenticator as a person would with the code their app
    /// shows now; returns the secret and the ten recovery codes the page showed.
    /// </summary>
    public static async Task<(string Secret, IReadOnlyList<string> Codes)> SetUpMfaHereAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor authentication" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("mfa-qr")).ToBeVisibleAsync();
        var secret = (await page.GetByTestId("mfa-secret").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        await page.GetByLabel("6-digit code").FillAsync(new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();
        var codes = page.GetByTestId("recovery-code");
        await Assertions.Expect(codes).ToHaveCountAsync(10);
        return (secret, await codes.AllInnerTextsAsync());
    }

    /// <summary>
    /// Sends a message straight to the app's mediator, as the bootstrap administrator on a session of its own,
    /// to arrange data or check what is stored.
    /// </summary>
    public async Task<TResponse> SendAsync<TResponse>(ICommand<TResponse> command)
    {
        await using var scope = await AdministratorScopeAsync();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }

    public async Task<TResponse> SendAsync<TResponse>(IQuery<TResponse> query)
    {
        await using var scope = await AdministratorScopeAsync();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }

    /// <summary>A user who signs in with <paramref name="password"/>: created, given a temporary password, which they changed.</summary>
    public async Task<Guid> ArrangeUserAsync(string name, string email, Application.Users.UserRole role, string password)
    {
        var id = (await SendAsync(new Application.Users.CreateUserCommand(name, email, role))).ShouldSucceed();
        (await SendAsync(new SetTemporaryPasswordCommand(id, "a temporary phrase", 1))).ShouldSucceed();
        await ChangePasswordAsync(email, "a temporary phrase", password);
        return id;
    }

    /// <summary>Signs in as <paramref name="email"/> and changes the password, as a user does after a temporary one.</summary>
    public async Task ChangePasswordAsync(string email, string current, string next)
    {
        await using var scope = await _server!.ScopeSignedInAsAsync(email, current);
        var changed = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ChangeOwnPasswordCommand(current, next));
        changed.IsSuccess.ShouldBeTrue(changed.ToString());
    }

    private Task<AsyncServiceScope> AdministratorScopeAsync() => _server!.AdministratorScopeAsync(AdminEmail, AdminPassword);

    /// <summary>A service scope signed in as <paramref name="email"/> on a new session, to send messages as that user.</summary>
    public Task<AsyncServiceScope> ScopeSignedInAsAsync(string email, string password) => _server!.ScopeSignedInAsAsync(email, password);

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

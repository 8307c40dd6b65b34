using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Infrastructure;
using UserManagement.Web.Security;

namespace UserManagement.Tests.Support;

/// <summary>
/// The real app on the SQLite file given, with extra configuration (such as Bootstrap:AdminEmail) and optionally
/// a log capture. <see cref="StartKestrel"/> puts it on a real port (a browser needs a socket; TestServer has
/// none) in Development so the static web assets resolve; otherwise it runs in memory for HTTP tests. Shared by
/// the browser tests, the HTTP tests and the screenshot tool. A configured first administrator must change the
/// configured password at the first sign-in; the host does that at start (from <see cref="FirstPassword"/> to the
/// configured one), so tests sign in with the password they configured. The app then holds the first administrator at
/// MFA enrolment (ADR 0025); the host gives it the grace period any other new administrator has instead, so tests that are
/// not about MFA sign in with the password alone (the first administrator's own journey runs the real app process:
/// <c>SecurityJourneyTests</c>). <c>configureServices</c> adds or replaces services after the app's own.
/// </summary>
public sealed class AppHost(
    string dataFile,
    IReadOnlyDictionary<string, string> settings,
    string environment = "Development",
    ILoggerProvider? logs = null,
    Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<Program>
{
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>What the first administrator's password is before the host changes it to the configured one.</summary>
    public static string FirstPassword(string configured) => $"first start {configured}";

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        if (settings.TryGetValue("Bootstrap:AdminEmail", out var email) && settings.TryGetValue("Bootstrap:AdminPassword", out var password))
        {
            Task.Run(() => CompleteFirstSignInAsync(host.Services, email, password)).GetAwaiter().GetResult();
        }

        return host;
    }

    private static async Task CompleteFirstSignInAsync(IServiceProvider services, string email, string password)
    {
        await using var signIn = services.CreateAsyncScope();
        var first = await signIn.ServiceProvider.GetRequiredService<IMediator>().Send(new SignInCommand(email, FirstPassword(password), "test host"));
        if (!first.IsSuccess)
        {
            return; // changed already (a database kept from an earlier start)
        }

        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<SessionAuthenticationStateProvider>()
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(AppClaims.For(first.Value))));
        var changed = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ChangeOwnPasswordCommand(FirstPassword(password), password));
        if (!changed.IsSuccess)
        {
            throw new InvalidOperationException($"The first administrator's password could not be set: {changed}");
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var grace = services.GetRequiredService<MfaPolicy>().GracePeriod;
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await db.Users.Where(u => u.Id == first.Value.UserId).ExecuteUpdateAsync(u => u.SetProperty(x => x.MfaDeadline, now + grace));
    }

    /// <summary>Starts the app on a free Kestrel port, or on each of <paramref name="ports"/> (all addresses).</summary>
    public static AppHost StartKestrel(string dataFile, IReadOnlyDictionary<string, string>? settings = null, IReadOnlyList<int>? ports = null)
    {
        var app = new AppHost(dataFile, settings ?? new Dictionary<string, string>());
        if (ports is { Count: > 0 })
        {
            app.UseKestrel(options =>
            {
                foreach (var port in ports)
                {
                    options.ListenAnyIP(port);
                }
            });
        }
        else
        {
            app.UseKestrel(0);
        }

        app.StartServer();
        app.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return app;
    }

    private (ClaimsPrincipal Principal, DateTimeOffset SignedInAt)? _administrator;

    /// <summary>
    /// A service scope signed in as the given administrator (on a real session of its own), for sending messages
    /// straight to the app's mediator to arrange data or check what is stored. The session is reused while its
    /// sign-in still counts as a recent re-authentication (<see cref="ReusedSignIn"/>), on the app's clock.
    /// </summary>
    public async Task<AsyncServiceScope> AdministratorScopeAsync(string email, string password)
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (_administrator is not { } administrator || ReusedSignIn.IsStale(now - administrator.SignedInAt))
        {
            administrator = (await SignInAsync(email, password), now);
            _administrator = administrator;
        }

        return ScopeFor(administrator.Principal);
    }

    /// <summary>A TCP port nothing listens on just now, for a server that must know its address before it starts.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A service scope signed in as anyone, on a new session.</summary>
    public async Task<AsyncServiceScope> ScopeSignedInAsAsync(string email, string password) =>
        ScopeFor(await SignInAsync(email, password));

    private async Task<ClaimsPrincipal> SignInAsync(string email, string password)
    {
        await using var signIn = Services.CreateAsyncScope();
        var signedIn = await signIn.ServiceProvider.GetRequiredService<IMediator>().Send(new SignInCommand(email, password, "test host"));
        return AppClaims.For(signedIn.Value);
    }

    private AsyncServiceScope ScopeFor(ClaimsPrincipal principal)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<SessionAuthenticationStateProvider>()
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));
        return scope;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment).UseSetting("ConnectionStrings:Default", $"Data Source={dataFile}");
        if (logs is not null)
        {
            // Every category at every level reaches the capture, whatever appsettings filters for the console.
            builder.ConfigureLogging(logging => logging.AddProvider(logs)
                .Services.Configure<LoggerFilterOptions>(options =>
                    options.Rules.Add(new LoggerFilterRule(logs.GetType().FullName, null, LogLevel.Trace, null))));
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, key == "Bootstrap:AdminPassword" ? FirstPassword(value) : value);
        }

        if (configureServices is not null)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }
}

/// <summary>Where the system Chromium is and how to start it on a machine with no internet.</summary>
public static class SystemChromium
{
    public static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    public const string InstallHint =
        "Browser tests need Chromium: install it with `sudo apt-get install -y chromium` "
        + "(or point CHROMIUM_PATH at a Chrome/Chromium binary). .ci/run installs it.";

    public static string? Find()
    {
        string?[] candidates =
            [Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
        return candidates.FirstOrDefault(path => !string.IsNullOrEmpty(path) && File.Exists(path));
    }
}

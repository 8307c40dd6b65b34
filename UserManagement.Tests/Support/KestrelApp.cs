using System.Security.Claims;
using Mediator;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Accounts;
using UserManagement.Web.Security;

namespace UserManagement.Tests.Support;

/// <summary>
/// The real app on a real Kestrel port (a browser needs a socket; TestServer has none), in Development so the
/// static web assets resolve, on the SQLite file given. Shared by the browser tests and the screenshot tool.
/// </summary>
public sealed class KestrelApp(string dataFile, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
{
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>Starts the app; <paramref name="settings"/> are configuration keys (such as Bootstrap:AdminEmail).</summary>
    public static KestrelApp Start(string dataFile, IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = new KestrelApp(dataFile, settings ?? new Dictionary<string, string>());
        app.UseKestrel(0);
        app.StartServer();
        app.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return app;
    }

    private ClaimsPrincipal? _administrator;

    /// <summary>
    /// A service scope signed in as the given administrator (on a real session of its own), for sending messages
    /// straight to the app's mediator to arrange data or check what is stored.
    /// </summary>
    public async Task<AsyncServiceScope> AdministratorScopeAsync(string email, string password)
    {
        if (_administrator is null)
        {
            await using var signIn = Services.CreateAsyncScope();
            var signedIn = await signIn.ServiceProvider.GetRequiredService<IMediator>().Send(new SignInCommand(email, password, "test host"));
            _administrator = AppClaims.For(signedIn.Value);
        }

        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<SessionAuthenticationStateProvider>()
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(_administrator)));
        return scope;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development").UseSetting("ConnectionStrings:Default", $"Data Source={dataFile}");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
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

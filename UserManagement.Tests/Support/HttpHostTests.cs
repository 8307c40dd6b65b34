using System.Globalization;
using System.Net;
using Mediator;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Accounts;
using UserManagement.Application.Users;

namespace UserManagement.Tests.Support;

/// <summary>
/// Base for tests that meet the app as a browser or a script does, over HTTP: the real app in memory
/// (<see cref="AppHost"/>, started by <see cref="HostSandbox"/> in a temp folder of this test's own), each host with
/// the sandbox's administrator signed in already, and clients that keep cookies and never follow redirects.
/// Everything a test starts is stopped and deleted after it.
/// </summary>
public abstract class HttpHostTests : IAsyncLifetime
{
    protected const string AdminEmail = HostSandbox.AdminEmail;
    protected const string AdminPassword = HostSandbox.AdminPassword;

    /// <summary>The per-address sign-in limit a host gets unless a test asks for another: high enough for any test.</summary>
    protected const int GenerousSignInLimit = 1000;

    protected HostSandbox Hosts { get; } = new();

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask DisposeAsync()
    {
        await Hosts.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Starts the app on a database file of its own, in <paramref name="environment"/>, with
    /// <paramref name="signInLimit"/> sign-in attempts per address and window, <paramref name="settings"/> over the
    /// defaults, <paramref name="logs"/> capturing every line, and <paramref name="services"/> added or replaced after
    /// the app's own.
    /// </summary>
    protected AppHost Host(
        string environment = "Development",
        int signInLimit = GenerousSignInLimit,
        IReadOnlyDictionary<string, string>? settings = null,
        LogCapture? logs = null,
        Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Security:SignInPermitLimit"] = signInLimit.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return Hosts.Start($"{Guid.NewGuid():N}.db", all, logs, services, environment);
    }

    /// <summary>
    /// A client of <paramref name="host"/> as a browser at <c>http(s)://hostName</c>: it keeps its cookies (unless told
    /// not to) and shows every redirect instead of following it.
    /// </summary>
    protected static FormClient Client(AppHost host, bool https = false, string hostName = "localhost", bool cookies = true) =>
        new(host.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = cookies,
            BaseAddress = new Uri($"{(https ? "https" : "http")}://{hostName}"),
        }));

    /// <summary>A client signed in through the sign-in form (the sign-in must succeed).</summary>
    protected static async Task<FormClient> SignedInAsync(AppHost host, string email = AdminEmail, string password = AdminPassword)
    {
        var client = Client(host);
        (await client.SignInAsync(email, password)).StatusCode.ShouldBe(HttpStatusCode.Redirect, $"{email} signs in");
        return client;
    }

    /// <summary>Sends a message as the administrator, through the real pipeline of <paramref name="host"/>.</summary>
    protected static Task<TResponse> SendAsAdministrator<TResponse>(AppHost host, ICommand<TResponse> command) =>
        HostSandbox.SendAsAdministrator(host, command);

    protected static Task<TResponse> SendAsAdministrator<TResponse>(AppHost host, IQuery<TResponse> query) =>
        HostSandbox.SendAsAdministrator(host, query);

    /// <summary>
    /// A user who signs in with <paramref name="password"/>, as one gets there: created by the administrator, given a
    /// temporary password, which they changed. Returns what is stored.
    /// </summary>
    protected static async Task<UserDetails> AddUserAsync(
        AppHost host, string email, string password, UserRole role = UserRole.Member, string name = "Member")
    {
        const string Temporary = "temporary member phrase";
        var id = (await SendAsAdministrator(host, new CreateUserCommand(name, email, role))).ShouldSucceed();
        (await SendAsAdministrator(host, new SetTemporaryPasswordCommand(id, Temporary, 1))).ShouldSucceed();
        await using (var self = await host.ScopeSignedInAsAsync(email, Temporary))
        {
            (await self.ServiceProvider.GetRequiredService<IMediator>().Send(
                new ChangeOwnPasswordCommand(Temporary, password), TestContext.Current.CancellationToken)).ShouldSucceed();
        }

        return (await SendAsAdministrator(host, new GetUserQuery(id))).ShouldSucceed();
    }

    /// <summary>The cookies a response sets, each as its Set-Cookie header reads.</summary>
    protected static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [];
}

using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace UserManagement.Tests.Support;

/// <summary>
/// A temp folder in which a test starts the real app (in memory, <see cref="AppHost"/>) on database files of its
/// choosing, stops it and starts it again, as an operator would. Each host has a signed-in administrator.
/// </summary>
public sealed class HostSandbox : IAsyncDisposable
{
    public const string AdminEmail = "operator@ops.example";
    public const string AdminPassword = "operator sandbox passphrase";

    private readonly List<AppHost> _hosts = [];
    private readonly TempFolder _folder = new();

    public string Directory => _folder.Path;

    public string PathOf(string fileName) => _folder.File(fileName);

    /// <summary>
    /// Starts the app in <paramref name="environment"/> on <paramref name="dataFile"/> (a name in the sandbox, or a full
    /// path) and waits until it serves.
    /// </summary>
    public AppHost Start(
        string dataFile,
        IReadOnlyDictionary<string, string>? settings = null,
        LogCapture? logs = null,
        Action<IServiceCollection>? configureServices = null,
        string environment = "Development")
    {
        var all = new Dictionary<string, string>
        {
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = AdminPassword,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var host = new AppHost(PathOf(dataFile), all, environment, logs, configureServices);
        _hosts.Add(host);
        _ = host.Services; // builds and starts the host: migrations applied, administrator created
        return host;
    }

    /// <summary>Sends a command as the administrator, through the real pipeline of <paramref name="host"/>.</summary>
    public static async Task<TResponse> SendAsAdministrator<TResponse>(AppHost host, ICommand<TResponse> command)
    {
        await using var scope = await host.AdministratorScopeAsync(AdminEmail, AdminPassword);
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, TestContext.Current.CancellationToken);
    }

    public static async Task<TResponse> SendAsAdministrator<TResponse>(AppHost host, IQuery<TResponse> query)
    {
        await using var scope = await host.AdministratorScopeAsync(AdminEmail, AdminPassword);
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(query, TestContext.Current.CancellationToken);
    }

    /// <summary>Stops the host and lets go of its database, as stopping the service does.</summary>
    public async Task StopAsync(AppHost host)
    {
        _hosts.Remove(host);
        await host.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _folder.Dispose();
    }
}

public static class LogCaptureExtensions
{
    /// <summary>Waits until a captured line contains <paramref name="text"/>.</summary>
    public static Task WaitForLineAsync(this LogCapture logs, string text, TimeSpan timeout) =>
        Condition.WaitUntilAsync(() => logs.Lines.Any(line => line.Contains(text, StringComparison.Ordinal)), timeout, $"a log line with \"{text}\"");
}

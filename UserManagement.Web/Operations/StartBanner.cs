using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using UserManagement.Application.Accounts;

namespace UserManagement.Web.Operations;

/// <summary>
/// What the person who started the app must act on, printed last, once the app serves: on a first start the
/// administrator's email and one-time password, then the address to open. The start before it is quiet by
/// default (appsettings.json: the migrations' and the bus's steps at Debug or Warning), so this stays on screen.
/// </summary>
public static partial class StartBanner
{
    /// <summary>
    /// Prints the banner when the app has started. Callbacks on <c>ApplicationStarted</c> run in reverse order of
    /// registration and the console lifetime registers its own ("Application started…") when the app runs, after
    /// this: so the banner comes after those lines.
    /// </summary>
    public static void PrintStartBanner(this WebApplication app, BootstrapOutcome bootstrap)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(bootstrap);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartBanner).FullName!);
        var server = app.Services.GetRequiredService<IServer>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (bootstrap.OneTimePassword is not null)
            {
                // Written to the console, never to a logger: the password must reach no log sink. It must be changed
                // at the first sign-in.
                Console.Out.Write(FirstAdministrator(bootstrap.Email!, bootstrap.OneTimePassword));
            }

            // Logged, not written: the console logger writes from a queue of its own, so a line logged now comes
            // out after every line logged before it, and this one is the last of the start.
            if (AddressToOpen(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []) is { } address)
            {
                LogReady(logger, address);
            }
        });
    }

    /// <summary>The first administrator's block, as printed.</summary>
    public static string FirstAdministrator(string email, string oneTimePassword) => $"""

        ==== First start: no administrator existed, so one was created ====
          Email:              {email}
          One-time password:  {oneTimePassword}
          Sign in with these; you will be asked to choose a new password at once.
        ===================================================================


        """;

    /// <summary>
    /// The address a person on this machine opens: HTTPS when the app serves it, and a wildcard host
    /// (<c>http://[::]:5000</c>, <c>http://0.0.0.0:5000</c>, <c>http://+:5000</c>) named <c>localhost</c>. Null when
    /// the app listens on no address (a test server).
    /// </summary>
    public static string? AddressToOpen(IEnumerable<string> addresses)
    {
        var bound = addresses.Select(BindingAddress.Parse).Where(a => !a.IsUnixPipe && !a.IsNamedPipe).ToList();
        var chosen = bound.FirstOrDefault(a => string.Equals(a.Scheme, "https", StringComparison.OrdinalIgnoreCase)) ?? bound.FirstOrDefault();
        if (chosen is null)
        {
            return null;
        }

        var host = chosen.Host is "[::]" or "0.0.0.0" or "+" or "*" ? "localhost" : chosen.Host;
        return $"{chosen.Scheme}://{host}:{chosen.Port}{chosen.PathBase}";
    }

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "UserManagement is ready: open {Address}")]
    private static partial void LogReady(ILogger logger, string address);
}

using Microsoft.Extensions.Primitives;

namespace UserManagement.Web.Security;

/// <summary>
/// Over HTTPS the app's cookies carry the <c>__Host-</c> prefix (ASVS 5.0 3.3.1): the browser then accepts them
/// only with Secure, Path=/ and no Domain, so a neighbouring subdomain cannot set or overwrite them. The cookie
/// handlers keep their plain names; this edge renames them on the way in and out. Over plain http (a local
/// <c>dotnet run</c>) a browser refuses <c>__Host-</c> cookies, so there they keep the plain name.
/// </summary>
public static class HostPrefixCookies
{
    public const string Prefix = "__Host-";
    public const string Session = "um.session";
    public const string Antiforgery = "um.antiforgery";
    public const string SecondFactor = "um.2fa";
    public const string PasskeyChallenge = "um.passkey";

    private static readonly string[] Names = [Session, Antiforgery, SecondFactor, PasskeyChallenge];

    public static IApplicationBuilder UseHostPrefixCookies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.IsHttps)
        {
            context.Request.Headers.Cookie = Incoming(context.Request.Headers.Cookie);
            context.Response.OnStarting(() =>
            {
                var cookies = context.Response.Headers.SetCookie;
                if (cookies.Count > 0)
                {
                    context.Response.Headers.SetCookie = new StringValues(cookies.Select(c => Outgoing(c!)).ToArray());
                }

                return Task.CompletedTask;
            });
        }

        await next(context);
    });

    /// <summary>Keeps only the prefixed form of our cookies, under the plain name the handlers read.</summary>
    private static StringValues Incoming(StringValues headers)
    {
        var pairs = headers.SelectMany(h => (h ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var kept = new List<string>();
        foreach (var pair in pairs)
        {
            if (Names.Any(name => pair.StartsWith(name + "=", StringComparison.Ordinal)))
            {
                continue;
            }

            kept.Add(Names.Any(name => pair.StartsWith(Prefix + name + "=", StringComparison.Ordinal)) ? pair[Prefix.Length..] : pair);
        }

        return kept.Count == 0 ? StringValues.Empty : new StringValues(string.Join("; ", kept));
    }

    private static string Outgoing(string setCookie) =>
        Names.Any(name => setCookie.StartsWith(name + "=", StringComparison.Ordinal)) ? Prefix + setCookie : setCookie;
}

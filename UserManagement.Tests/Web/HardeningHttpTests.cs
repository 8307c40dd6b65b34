using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Web;

/// <summary>
/// The app's hardening as a browser (or a proxy) meets it over HTTP: security headers on error pages, antiforgery on
/// sign-out, the per-session limit on password changes, <c>__Host-</c> cookies over HTTPS, and forwarded headers
/// taken only from known proxies.
/// </summary>
public sealed class HardeningHttpTests : HttpHostTests
{
    /// <summary>The app with a route that throws (for the error page) and <paramref name="before"/> ahead of its pipeline.</summary>
    private AppHost HostWithTestRoutes(
        string environment = "Development", int limit = GenerousSignInLimit, Dictionary<string, string>? settings = null, Action<IApplicationBuilder>? before = null) =>
        Host(environment, limit, settings, services: services => services.AddSingleton<IStartupFilter>(new TestEndpoints(before)));

    private static void ShouldCarryTheSecurityHeaders(HttpResponseMessage response)
    {
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
        response.Headers.Contains("Permissions-Policy").ShouldBeTrue();
    }

    [Fact]
    public async Task Should_send_the_security_headers_on_an_error_page_and_a_status_code_page()
    {
        using var client = Client(HostWithTestRoutes("Production"));

        var error = await client.Http.GetAsync(new Uri("/test/throw", UriKind.Relative), TestContext.Current.CancellationToken);
        var missing = await client.Http.GetAsync(new Uri("/no/such/page", UriKind.Relative), TestContext.Current.CancellationToken);

        error.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        ShouldCarryTheSecurityHeaders(error);
        (await error.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldNotContain("InvalidOperationException");
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        ShouldCarryTheSecurityHeaders(missing);
    }

    [Fact]
    public async Task Should_refuse_a_sign_out_post_without_the_antiforgery_token()
    {
        using var client = Client(HostWithTestRoutes());
        await client.SignInAsync(AdminEmail, AdminPassword);

        var forged = await client.Http.PostAsync(new Uri("/account/signout", UriKind.Relative), new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.StatusOfAsync("/users")).ShouldBe(HttpStatusCode.OK, "still signed in");
        var real = await client.SubmitAsync("/users", new Dictionary<string, string>(), action: "/account/signout");
        real.Headers.Location!.OriginalString.ShouldBe("/signin?signedOut=true");
    }

    /// <summary>The password-change POST is limited per session, not per address.</summary>
    [Fact]
    public async Task Should_answer_429_past_the_limit_of_password_change_attempts_of_one_session()
    {
        var host = HostWithTestRoutes(limit: 3);
        using var guesser = Client(host);
        using var bystander = Client(host);
        await guesser.SignInAsync(AdminEmail, AdminPassword);
        await bystander.SignInAsync(AdminEmail, AdminPassword);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            (await ChangePasswordAsync(guesser, $"guess {attempt} here")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var limited = await ChangePasswordAsync(guesser, "guess 4 here");

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await ChangePasswordAsync(bystander, "another session")).StatusCode.ShouldBe(HttpStatusCode.OK, "another session on the same address has its own limit");
    }

    private static Task<HttpResponseMessage> ChangePasswordAsync(FormClient client, string current) =>
        client.SubmitAsync("/account/change-password", new Dictionary<string, string>
        {
            ["Input.Current"] = current,
            ["Input.New"] = "a new admin passphrase",
            ["Input.Confirm"] = "a new admin passphrase",
        });

    [Fact]
    public async Task Should_name_the_cookies_with_the_host_prefix_and_mark_them_secure_over_https()
    {
        using var client = Client(HostWithTestRoutes(), https: true);

        var page = await client.Http.GetAsync(new Uri("/signin", UriKind.Relative), TestContext.Current.CancellationToken);
        var antiforgery = SetCookies(page).Single(c => c.Contains("um.antiforgery", StringComparison.Ordinal));
        var signedIn = await client.SignInAsync(AdminEmail, AdminPassword);
        var session = SetCookies(signedIn).Single(c => c.Contains("um.session", StringComparison.Ordinal));

        foreach (var cookie in new[] { antiforgery, session })
        {
            cookie.ShouldStartWith("__Host-um.");
            cookie.ShouldContain("secure", Case.Insensitive);
            cookie.ShouldContain("path=/", Case.Insensitive);
            cookie.ShouldNotContain("domain=", Case.Insensitive);
        }

        (await client.StatusOfAsync("/users")).ShouldBe(HttpStatusCode.OK, "the prefixed cookie is read back");
    }

    [Fact]
    public async Task Should_ignore_an_unprefixed_session_cookie_over_https()
    {
        using var plain = Client(HostWithTestRoutes());
        var cookie = SetCookies(await plain.SignInAsync(AdminEmail, AdminPassword)).Single(c => c.StartsWith("um.session=", StringComparison.Ordinal)).Split(';')[0];
        using var https = Client(HostWithTestRoutes(), https: true);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/users");
        request.Headers.Add("Cookie", cookie);
        var response = await https.Http.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, "a cookie another subdomain could have set is not taken over HTTPS");
    }

    [Fact]
    public async Task Should_limit_each_client_behind_a_known_proxy_separately_and_trust_no_one_else()
    {
        var host = HostWithTestRoutes(limit: 2, settings: new() { ["Security:KnownProxies:0"] = "10.0.0.1" }, before: app => app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Peer"].FirstOrDefault() ?? "10.0.0.1");
            return next(context);
        }));
        using var client = Client(host);

        async Task<HttpStatusCode> AttemptAsync(string peer, string forwardedFor)
        {
            client.Http.DefaultRequestHeaders.Remove("X-Test-Peer");
            client.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
            client.Http.DefaultRequestHeaders.Add("X-Test-Peer", peer);
            client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
            return (await client.SignInAsync(AdminEmail, "a wrong password")).StatusCode;
        }

        (await AttemptAsync("10.0.0.1", "203.0.113.1")).ShouldBe(HttpStatusCode.OK);
        (await AttemptAsync("10.0.0.1", "203.0.113.1")).ShouldBe(HttpStatusCode.OK);
        (await AttemptAsync("10.0.0.1", "203.0.113.1")).ShouldBe(HttpStatusCode.TooManyRequests);
        (await AttemptAsync("10.0.0.1", "203.0.113.2")).ShouldBe(HttpStatusCode.OK, "another client behind the proxy has its own bucket");

        (await AttemptAsync("10.9.9.9", "203.0.113.3")).ShouldBe(HttpStatusCode.OK);
        (await AttemptAsync("10.9.9.9", "203.0.113.4")).ShouldBe(HttpStatusCode.OK);
        (await AttemptAsync("10.9.9.9", "203.0.113.5")).ShouldBe(HttpStatusCode.TooManyRequests, "an unknown peer's X-Forwarded-For is ignored");
    }

    [Fact]
    public async Task Should_know_a_request_was_https_when_a_known_proxy_says_so()
    {
        var host = HostWithTestRoutes(settings: new() { ["Security:KnownProxies:0"] = "10.0.0.1" }, before: app => app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
            return next(context);
        }));
        using var client = Client(host);
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var page = await client.Http.GetAsync(new Uri("/signin", UriKind.Relative), TestContext.Current.CancellationToken);

        SetCookies(page).Single(c => c.Contains("um.antiforgery", StringComparison.Ordinal)).ShouldStartWith("__Host-um.antiforgery=");
    }

    /// <summary>A route that throws (for the error page), and a step before the app's pipeline.</summary>
    private sealed class TestEndpoints(Action<IApplicationBuilder>? before) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            before?.Invoke(app);
            next(app);
            app.Map("/test/throw", branch => branch.Run(_ => throw new InvalidOperationException("A bug, on purpose.")));
        };
    }
}

using System.Net;
using UserManagement.Application.Accounts;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Web;

/// <summary>Sign-in, sessions and hardening as a browser meets them over HTTP.</summary>
public sealed class SecurityHttpTests : HttpHostTests
{
    private const string MemberEmail = "member@http.example";
    private const string MemberPassword = "member http passphrase";

    private static Task<UserDetails> AddMemberAsync(AppHost host) => AddUserAsync(host, MemberEmail, MemberPassword);

    private static string? SessionCookie(HttpResponseMessage response) =>
        SetCookies(response).FirstOrDefault(c => c.StartsWith("um.session=", StringComparison.Ordinal) || c.StartsWith("__Host-um.session=", StringComparison.Ordinal));

    [Fact]
    public async Task Should_send_the_security_headers_on_every_response()
    {
        using var client = Client(Host());

        foreach (var path in new[] { "/signin", "/users", "/not-found" })
        {
            var response = await client.Http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            csp.ShouldContain("script-src 'self';");
            csp.ShouldContain("frame-ancestors 'none'");
            csp.ShouldContain("object-src 'none'");
            response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
            response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("no-referrer");
            response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
            response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse("no HSTS in Development or over http");
        }
    }

    [Fact]
    public async Task Should_send_hsts_over_https_outside_development()
    {
        // HSTS is never sent to localhost, so ask as a real host name would.
        using var client = Client(Host("Production"), https: true, hostName: "admin.example.test");

        var response = await client.Http.GetAsync(new Uri("/signin", UriKind.Relative), TestContext.Current.CancellationToken);

        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldBe("max-age=31536000; includeSubDomains");
    }

    [Fact]
    public async Task Should_send_an_anonymous_visitor_of_the_users_list_to_sign_in()
    {
        using var client = Client(Host());

        var response = await client.Http.GetAsync(new Uri("/users", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.ShouldBe("/signin?returnUrl=%2Fusers");
    }

    [Fact]
    public async Task Should_sign_in_with_an_http_only_same_site_strict_cookie_and_follow_the_return_url()
    {
        using var client = Client(Host());

        var response = await client.SignInAsync(AdminEmail, AdminPassword, "/signin?returnUrl=%2Fusers%3Fsearch%3Dada");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldEndWith("/users?search=ada");
        var cookie = SessionCookie(response).ShouldNotBeNull();
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=strict", Case.Insensitive);
        cookie.ShouldNotContain("secure", Case.Insensitive);
        (await client.StatusOfAsync("/users")).ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("page=abc")]
    [InlineData("page=1e3")]
    [InlineData("page=2147483648")]
    [InlineData("page=85899347")]
    [InlineData("page=%00")]
    [InlineData("size=99999999999")]
    [InlineData("page=1%0AFAKE%20log%20line")]
    public async Task Should_serve_the_users_list_with_a_notice_when_a_link_has_a_value_it_cannot_take(string query)
    {
        var logs = new LogCapture();
        using var client = Client(Host(logs: logs));
        await client.SignInAsync(AdminEmail, AdminPassword);

        var response = await client.Http.GetAsync(new Uri($"/users?{query}", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("data-testid=\"url-notice\"");
        logs.Lines.ShouldNotContain(l => l.Contains("FAKE log line", StringComparison.Ordinal));
        logs.Lines.ShouldNotContain(l => l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_mark_the_cookie_secure_over_https()
    {
        using var client = Client(Host(), https: true);

        var response = await client.SignInAsync(AdminEmail, AdminPassword);

        SessionCookie(response).ShouldNotBeNull().ShouldContain("secure", Case.Insensitive);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task Should_not_follow_a_return_url_to_another_site(string returnUrl)
    {
        using var client = Client(Host());

        var response = await client.SignInAsync(AdminEmail, AdminPassword, $"/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");

        response.Headers.Location!.OriginalString.ShouldEndWith("/users");
    }

    [Fact]
    public async Task Should_answer_an_unknown_email_and_a_wrong_password_with_the_same_words()
    {
        using var client = Client(Host());

        var unknown = await (await client.SignInAsync("nobody@http.example", AdminPassword)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var wrong = await (await client.SignInAsync(AdminEmail, "not the right one")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Alert(unknown).ShouldBe(SignInRefusedError.Text);
        Alert(wrong).ShouldBe(Alert(unknown));

        static string Alert(string html) =>
            System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"signin-error\">([^<]*)<").Groups[1].Value);
    }

    [Fact]
    public async Task Should_answer_429_past_the_sign_in_limit_per_address()
    {
        using var client = Client(Host(signInLimit: 3));

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            (await client.SignInAsync(AdminEmail, $"wrong {attempt}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var limited = await client.SignInAsync(AdminEmail, AdminPassword);

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        (await client.StatusOfAsync("/signin")).ShouldBe(HttpStatusCode.OK, "showing the page is not an attempt");
    }

    [Fact]
    public async Task Should_refuse_a_sign_in_post_without_the_antiforgery_token()
    {
        using var client = Client(Host());

        var response = await client.Http.PostAsync(new Uri("/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["Input.Email"] = AdminEmail,
            ["Input.Password"] = AdminPassword,
        }), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        SessionCookie(response).ShouldBeNull();
    }

    [Fact]
    public async Task Should_refuse_a_replayed_cookie_after_sign_out()
    {
        var host = Host();
        using var client = Client(host);
        var cookie = SessionCookie(await client.SignInAsync(AdminEmail, AdminPassword))!.Split(';')[0];
        (await client.StatusOfAsync("/users")).ShouldBe(HttpStatusCode.OK);

        var signedOut = await client.SubmitAsync("/users", new Dictionary<string, string>(), action: "/account/signout");
        signedOut.Headers.Location!.OriginalString.ShouldBe("/signin?signedOut=true");

        using var replay = Client(host, cookies: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/users");
        request.Headers.Add("Cookie", cookie);
        var response = await replay.Http.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.ShouldStartWith("/signin");
    }

    [Fact]
    public async Task Should_stop_honouring_a_cookie_on_the_next_request_once_its_user_is_disabled()
    {
        var host = Host();
        var member = await AddMemberAsync(host);
        await SendAsAdministrator(host, new UpdateUserCommand(member.Id, member.Name, member.Email, UserRole.Administrator, member.Version));

        using var client = Client(host);
        await client.SignInAsync(MemberEmail, MemberPassword);
        (await client.StatusOfAsync("/users")).ShouldBe(HttpStatusCode.OK);

        var current = (await SendAsAdministrator(host, new GetUserQuery(member.Id))).Value;
        (await SendAsAdministrator(host, new SetUserStatusCommand(member.Id, UserStatus.Disabled, current.Version))).IsSuccess.ShouldBeTrue();

        var response = await client.Http.GetAsync(new Uri("/users", UriKind.Relative), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.ShouldStartWith("/signin");
    }

    [Fact]
    public async Task Should_keep_a_member_out_of_the_admin_pages()
    {
        var host = Host();
        await AddMemberAsync(host);
        using var client = Client(host);

        (await client.SignInAsync(MemberEmail, MemberPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var users = await client.Http.GetAsync(new Uri("/users", UriKind.Relative), TestContext.Current.CancellationToken);
        users.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        users.Headers.Location!.PathAndQuery.ShouldStartWith("/access-denied");
        (await client.StatusOfAsync("/users/new")).ShouldBe(HttpStatusCode.Redirect);
        (await client.Http.GetStringAsync(new Uri("/access-denied", UriKind.Relative), TestContext.Current.CancellationToken)).ShouldContain("No access");
    }

    [Theory]
    [InlineData("http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost.evil.example", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost", HttpStatusCode.OK)]
    public async Task Should_open_the_blazor_hub_only_to_the_apps_own_origin(string origin, HttpStatusCode expected)
    {
        using var client = Client(Host());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);

        var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(expected);
    }

    [Fact]
    public async Task Should_write_no_password_to_any_log_line()
    {
        var logs = new LogCapture();
        var host = Host(logs: logs);
        await AddMemberAsync(host);
        using var client = Client(host);

        await client.SignInAsync(AdminEmail, AdminPassword);
        await client.SignInAsync(AdminEmail, "a wrong admin password");
        await client.SignInAsync("nobody@http.example", "password of nobody");
        await client.SubmitAsync("/account/change-password", new Dictionary<string, string>
        {
            ["Input.Current"] = AdminPassword,
            ["Input.New"] = "the new admin passphrase",
            ["Input.Confirm"] = "the new admin passphrase",
        });

        logs.Lines.Count.ShouldBeGreaterThan(100, "the capture saw the whole run, at every level");
        logs.Lines.ShouldContain(line => line.Contains("Sign-in failed", StringComparison.Ordinal));
        string[] secrets = [AdminPassword, "a wrong admin password", "password of nobody", "the new admin passphrase", "temporary member phrase", MemberPassword];
        foreach (var secret in secrets)
        {
            logs.Lines.Where(line => line.Contains(secret, StringComparison.Ordinal)).ShouldBeEmpty($"a log line holds \"{secret}\"");
        }
    }
}

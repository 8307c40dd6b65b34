using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Passkeys;
using UserManagement.Tests.Support;
using UserManagement.Web.Security;

namespace UserManagement.Tests.Web;

/// <summary>
/// The two POSTs the static sign-in page's script makes to sign in with a passkey, as a browser meets them over
/// HTTPS: antiforgery, the challenge bound to this browser by its cookie and taken once, the shared sign-in limit.
/// </summary>
public sealed class PasskeySignInHttpTests : HttpHostTests
{
    private const string Origin = "https://localhost";

    private readonly SoftwareAuthenticator _authenticator = new() { PageOrigin = Origin };
    private AppHost _host = null!;

    public override async ValueTask InitializeAsync() => _host = await HostWithPasskeyAsync(GenerousSignInLimit);

    public override async ValueTask DisposeAsync()
    {
        _authenticator.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>The app with passkeys for https://localhost, and the administrator's passkey registered in the authenticator.</summary>
    private async Task<AppHost> HostWithPasskeyAsync(int signInLimit)
    {
        var host = Host(signInLimit: signInLimit, settings: new Dictionary<string, string>
        {
            ["Security:PasskeyRelyingPartyId"] = "localhost",
            ["Security:PasskeyOrigins:0"] = Origin,
        });
        await using var scope = await host.ScopeSignedInAsAsync(AdminEmail, AdminPassword);
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var started = (await mediator.Send(new StartPasskeyRegistrationCommand())).ShouldSucceed();
        (await mediator.Send(new RegisterPasskeyCommand(started.ChallengeId, "Laptop", _authenticator.Register(started.OptionsJson)))).ShouldSucceed();
        return host;
    }

    /// <summary>A browser at the configured origin (a passkey is bound to it).</summary>
    private static FormClient HttpsClient(AppHost host) => Client(host, https: true);

    private static Task<HttpResponseMessage> PostAsync(FormClient client, string path, string? token, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Add("RequestVerificationToken", token);
        }

        return client.Http.SendAsync(request);
    }

    private static async Task<string> OptionsAsync(FormClient client, string token)
    {
        var response = await PostAsync(client, PasskeySignInEndpoints.OptionsPath, token, new { email = (string?)null });
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("options").GetString()!;
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("error").GetString()!;

    [Fact]
    public async Task Should_sign_in_with_a_passkey_through_the_two_posts_and_send_the_browser_where_it_was_going()
    {
        using var client = HttpsClient(_host);
        var token = await client.AntiforgeryTokenAsync();

        var optionsResponse = await PostAsync(client, PasskeySignInEndpoints.OptionsPath, token, new { email = AdminEmail });
        var options = (await optionsResponse.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("options").GetString()!;
        var signedIn = await PostAsync(client, PasskeySignInEndpoints.SignInPath, token, new { response = _authenticator.Assert(options), returnUrl = "/audit" });

        var challengeCookie = optionsResponse.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-um.passkey=", StringComparison.Ordinal));
        challengeCookie.ShouldContain("httponly", Case.Insensitive);
        challengeCookie.ShouldContain("samesite=strict", Case.Insensitive);
        challengeCookie.ShouldContain("secure", Case.Insensitive);
        challengeCookie.ShouldContain("max-age=120", Case.Insensitive);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await signedIn.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("location").GetString().ShouldBe("/audit");
        signedIn.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith("__Host-um.session=", StringComparison.Ordinal));
        (await client.StatusOfAsync("/users")).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Should_refuse_an_answer_from_a_browser_that_did_not_ask_for_the_challenge()
    {
        using var asking = HttpsClient(_host);
        var options = await OptionsAsync(asking, await asking.AntiforgeryTokenAsync());
        using var other = HttpsClient(_host);
        var token = await other.AntiforgeryTokenAsync();

        var refused = await PostAsync(other, PasskeySignInEndpoints.SignInPath, token, new { response = _authenticator.Assert(options), returnUrl = "/users" });

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorOf(refused)).ShouldBe(PasskeyRefusedError.SignIn);
        (await other.StatusOfAsync("/users")).ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Should_take_the_challenge_once_even_when_its_cookie_is_sent_again()
    {
        using var client = HttpsClient(_host);
        var token = await client.AntiforgeryTokenAsync();
        var optionsResponse = await PostAsync(client, PasskeySignInEndpoints.OptionsPath, token, new { email = (string?)null });
        var options = (await optionsResponse.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("options").GetString()!;
        var cookie = optionsResponse.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-um.passkey=", StringComparison.Ordinal)).Split(';')[0];
        var answer = _authenticator.Assert(options);
        (await PostAsync(client, PasskeySignInEndpoints.SignInPath, token, new { response = answer, returnUrl = "/users" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var replaying = HttpsClient(_host);
        var replayToken = await replaying.AntiforgeryTokenAsync();
        var replay = new HttpRequestMessage(HttpMethod.Post, new Uri(PasskeySignInEndpoints.SignInPath, UriKind.Relative))
        {
            Content = JsonContent.Create(new { response = answer, returnUrl = "/users" }),
        };
        replay.Headers.Add("RequestVerificationToken", replayToken);
        replay.Headers.Add("Cookie", cookie);
        var refused = await replaying.Http.SendAsync(replay, TestContext.Current.CancellationToken);

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ErrorOf(refused)).ShouldBe(PasskeyRefusedError.SignIn);
    }

    [Fact]
    public async Task Should_refuse_both_posts_without_the_antiforgery_token()
    {
        using var client = HttpsClient(_host);
        var options = await OptionsAsync(client, await client.AntiforgeryTokenAsync());

        (await PostAsync(client, PasskeySignInEndpoints.OptionsPath, null, new { email = (string?)null })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refused = await PostAsync(client, PasskeySignInEndpoints.SignInPath, "not the token", new { response = _authenticator.Assert(options), returnUrl = "/users" });

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.StatusOfAsync("/users")).ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Should_count_the_passkey_posts_toward_the_sign_in_limit_of_the_address()
    {
        var host = await HostWithPasskeyAsync(signInLimit: 3);
        using var client = HttpsClient(host);
        var token = await client.AntiforgeryTokenAsync();

        (await client.SignInAsync(AdminEmail, "a wrong password")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var options = await OptionsAsync(client, token);
        await OptionsAsync(client, token);
        var limited = await PostAsync(client, PasskeySignInEndpoints.SignInPath, token, new { response = _authenticator.Assert(options), returnUrl = "/users" });

        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
    }
}

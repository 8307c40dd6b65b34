using System.Net;
using System.Text.Json;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Web;

/// <summary>
/// The README's `dotnet run` runs in Production (no developer exception page) and still serves the
/// framework's and MudBlazor's scripts from the build output, so pages become interactive.
/// </summary>
public sealed class ProductionRunTests
{
    [Fact]
    public void Should_run_in_production_by_default_and_in_development_only_by_an_explicit_profile()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Repository.File("UserManagement.Web", "Properties", "launchSettings.json")));
        var profiles = settings.RootElement.GetProperty("profiles").EnumerateObject().ToList();

        // `dotnet run` takes the first profile.
        profiles[0].Value.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString().ShouldBe("Production");
        profiles.ShouldContain(p => p.Name == "Development"
            && p.Value.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString() == "Development");
    }

    /// <summary>
    /// `dotnet run` sets ASPNETCORE_URLS from a profile's applicationUrl,
    /// over the one the operator exported. With no address in any profile, ASPNETCORE_URLS and --urls decide.
    /// </summary>
    [Fact]
    public void Should_leave_the_listening_address_to_aspnetcore_urls_under_dotnet_run()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Repository.File("UserManagement.Web", "Properties", "launchSettings.json")));

        foreach (var profile in settings.RootElement.GetProperty("profiles").EnumerateObject())
        {
            profile.Value.TryGetProperty("applicationUrl", out _).ShouldBeFalse($"profile {profile.Name} would override ASPNETCORE_URLS");
            var variables = profile.Value.TryGetProperty("environmentVariables", out var set)
                ? set.EnumerateObject().Select(v => v.Name).ToList()
                : [];
            variables.ShouldNotContain(name => name.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase)
                || name.Equals("URLS", StringComparison.OrdinalIgnoreCase) || name.Equals("ASPNETCORE_HTTP_PORTS", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task Should_serve_the_blazor_and_mudblazor_scripts_from_the_build_output_in_production()
    {
        await using var app = await AppProcess.StartAsync("Production");
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        foreach (var path in new[] { "/_framework/blazor.web.js", "/_content/MudBlazor/MudBlazor.min.js", "/_content/MudBlazor/MudBlazor.min.css" })
        {
            var response = await http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        }

        var missing = await http.GetAsync(new Uri("/no/such/page", UriKind.Relative), TestContext.Current.CancellationToken);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldNotContain("Stack", Case.Sensitive);
        app.Output.ShouldContain(line => line.Contains("Hosting environment: Production", StringComparison.Ordinal));
    }
}

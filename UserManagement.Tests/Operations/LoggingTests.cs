using System.Text.Json;
using UserManagement.Tests.Support;
using UserManagement.Web.Operations;

namespace UserManagement.Tests.Operations;

/// <summary>Logs as an operator configures them: JSON lines on the console, each with its request's correlation id.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Should_write_json_lines_that_carry_the_requests_correlation_id_when_configured_to()
    {
        await using var app = await AppProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
            // Something that logs inside a request: the health check service, at Debug.
            ["Logging__LogLevel__Microsoft.Extensions.Diagnostics.HealthChecks"] = "Debug",
        });
        using var client = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };

        using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken);
        var line = await app.WaitForOutputAsync(
            l => l.StartsWith('{') && l.Contains("Microsoft.Extensions.Diagnostics.HealthChecks", StringComparison.Ordinal)
                && l.Contains(RequestCorrelation.ScopeKey, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30));

        response.IsSuccessStatusCode.ShouldBeTrue();
        using var json = JsonDocument.Parse(line);
        json.RootElement.GetProperty("LogLevel").GetString().ShouldNotBeNullOrEmpty();
        json.RootElement.GetProperty("Message").GetString().ShouldNotBeNullOrEmpty();
        var scopes = json.RootElement.GetProperty("Scopes").EnumerateArray()
            .Where(s => s.ValueKind == JsonValueKind.Object)
            .SelectMany(s => s.EnumerateObject())
            .ToLookup(p => p.Name, p => p.Value.ToString());
        var correlationId = scopes[RequestCorrelation.ScopeKey].ShouldHaveSingleItem();
        correlationId.ShouldMatch("^[0-9a-f]{32}$");
        scopes["TraceId"].ShouldContain(correlationId, "the correlation id is the request's trace id");
        scopes["RequestPath"].ShouldContain("/health/ready");
    }
}

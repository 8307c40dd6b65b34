using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;
using UserManagement.Web.Operations;

namespace UserManagement.Tests.Web;

public sealed class StartupTests
{
    [Fact]
    public async Task Should_create_and_migrate_its_database_under_the_configured_path_and_serve_the_home_page()
    {
        using var root = new TempFolder();
        var dataFile = root.File(Path.Combine("nested", "data", "app.db"));
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Development")
            .UseSetting("ConnectionStrings:Default", $"Data Source={dataFile}"));
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        response.IsSuccessStatusCode.ShouldBeTrue($"GET / answered {response.StatusCode}");
        File.Exists(dataFile).ShouldBeTrue();
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<AppDbContext>>()
            .CreateDbContextAsync(TestContext.Current.CancellationToken);
        (await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken)).ShouldBeEmpty();
        db.Database.GetDbConnection().DataSource.ShouldBe(dataFile);
    }

    [Fact]
    public async Task Should_end_a_quiet_first_start_with_the_one_time_password_and_the_address_to_open_and_a_later_start_with_the_address()
    {
        var root = Path.Combine(Path.GetTempPath(), "usermanagement-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var settings = new Dictionary<string, string> { ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(root, "app.db")}" };
        try
        {
            await using (var first = await AppProcess.StartAsync(settings: settings))
            {
                var start = await StartOutputAsync(first);

                start.Count.ShouldBeLessThanOrEqualTo(40, "a first start prints only what a person reads:\n" + string.Join('\n', start));
                var password = first.Printed("One-time password:").ShouldNotBeNull();
                start.TakeLast(14).ShouldContain(line => line.Contains(password, StringComparison.Ordinal), "the one-time password is at the end, above the address");
            }

            await using var second = await AppProcess.StartAsync(settings: settings);
            var again = await StartOutputAsync(second);

            again.ShouldNotContain(line => line.Contains("One-time password", StringComparison.Ordinal));
            again.Count.ShouldBeLessThanOrEqualTo(16, string.Join('\n', again));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:39135", "http://127.0.0.1:39135")]
    [InlineData("http://[::]:5000", "http://localhost:5000")]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080")]
    [InlineData("http://localhost:5000 https://localhost:5001", "https://localhost:5001")]
    [InlineData("http://+:80/console", "http://localhost:80/console")]
    [InlineData("", null)]
    public void Should_tell_the_person_at_the_machine_the_address_to_open(string bound, string? open) =>
        StartBanner.AddressToOpen(bound.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ShouldBe(open);

    /// <summary>What the app printed from its start to the line that says where to open it, which must come after the host's own start lines.</summary>
    private static async Task<IReadOnlyList<string>> StartOutputAsync(AppProcess app)
    {
        var ready = $"UserManagement is ready: open {app.BaseUrl}";
        await app.WaitForOutputAsync(line => line.Contains(ready, StringComparison.Ordinal), AppProcess.StartPatience);
        var output = app.Output;
        var end = output.ToList().FindIndex(line => line.Contains(ready, StringComparison.Ordinal));
        var start = output.Take(end + 1).ToList();
        start.FindIndex(line => line.Contains("Content root path:", StringComparison.Ordinal)).ShouldBeInRange(0, end - 1, "the address comes after the host's start lines");
        return start;
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

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
}

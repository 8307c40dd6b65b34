using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using UserManagement.Application.Accounts;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Screenshots;

/// <summary>
/// Takes the README's screenshots from the real app: starts it on a temp database, fills it with sample users
/// through the real commands, and photographs the users list and the edit form in Chromium.
/// </summary>
internal static class ScreenshotTool
{
    public static async Task Main(string[] args)
    {
        var output = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("docs", "images"));
        Directory.CreateDirectory(output);

        var chromium = SystemChromium.Find()
            ?? throw new InvalidOperationException(SystemChromium.InstallHint);
        var directory = Path.Combine(Path.GetTempPath(), "usermanagement-screenshots", Guid.NewGuid().ToString("N"));

        try
        {
            const string Email = "admin@screenshots.example";
            var password = PasswordGenerator.Generate();
            await using var app = AppHost.StartKestrel(
                Path.Combine(directory, "screenshots.db"),
                new Dictionary<string, string> { ["Bootstrap:AdminEmail"] = Email, ["Bootstrap:AdminPassword"] = password });
            var featured = await SeedAsync(app, Email, password);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = SystemChromium.LaunchArgs });
            var page = await browser.NewPageAsync(new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = 1280, Height = 800 }, ColorScheme = ColorScheme.Light });

            await page.GotoAsync("/signin");
            await page.ScreenshotAsync(new() { Path = Path.Combine(output, "sign-in.png") });
            await page.GetByLabel("Email", new() { Exact = true }).FillAsync(Email);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
            await page.WaitForURLAsync("**/users");

            await page.GotoAsync("/users?size=10");
            await page.Locator("body[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ada Lovelace" }).WaitForAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(output, "users-list.png") });

            await page.GotoAsync($"/users/{featured}");
            await page.Locator("body[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.GetByRole(AriaRole.Heading, new() { Name = "Grace Hopper" }).WaitForAsync();
            await page.GetByLabel("Email", new() { Exact = true }).FillAsync("grace.hopper@navy");
            await page.GetByText("Enter a valid email address").WaitForAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(output, "user-edit.png") });

            Console.WriteLine($"Screenshots written to {output}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<Guid> SeedAsync(AppHost app, string adminEmail, string adminPassword)
    {
        (string Name, string Email, UserRole Role, bool Disabled)[] people =
        [
            ("Ada Lovelace", "ada@analytical.example", UserRole.Administrator, false),
            ("Alan Turing", "alan@bletchley.example", UserRole.Administrator, false),
            ("Grace Hopper", "grace@navy.example", UserRole.Member, false),
            ("Katherine Johnson", "katherine@nasa.example", UserRole.Member, false),
            ("Edsger Dijkstra", "edsger@eindhoven.example", UserRole.Member, true),
            ("Barbara Liskov", "barbara@mit.example", UserRole.Member, false),
            ("Donald Knuth", "don@stanford.example", UserRole.Member, false),
            ("Margaret Hamilton", "margaret@apollo.example", UserRole.Administrator, false),
            ("Tim Berners-Lee", "tim@cern.example", UserRole.Member, true),
            ("Radia Perlman", "radia@spanning.example", UserRole.Member, false),
            ("Ken Thompson", "ken@bell.example", UserRole.Member, false),
            ("Frances Allen", "frances@ibm.example", UserRole.Member, false),
        ];

        await using var scope = await app.AdministratorScopeAsync(adminEmail, adminPassword);
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var featured = Guid.Empty;
        foreach (var (name, email, role, disabled) in people)
        {
            var id = (await mediator.Send(new CreateUserCommand(name, email, role))).Value;
            if (disabled)
            {
                await mediator.Send(new SetUserStatusCommand(id, UserStatus.Disabled, 1));
            }

            if (name == "Grace Hopper")
            {
                featured = id;
            }
        }

        return featured;
    }
}

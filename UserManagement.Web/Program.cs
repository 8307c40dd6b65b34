using MudBlazor;
using MudBlazor.Services;
using UserManagement.Application.Accounts;
using UserManagement.Infrastructure;
using UserManagement.Web;
using UserManagement.Web.Audit;
using UserManagement.Web.Components;
using UserManagement.Web.Components.Shared;
using UserManagement.Web.Operations;
using UserManagement.Web.Security;
using UserManagement.Web.Users;
using UserManagement.Web.Verbs;

if (await AppVerbs.TryRunAsync(args) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

// Serves the framework's and the packages' static files (_framework/blazor.web.js, MudBlazor) from a build
// output in every environment, so `dotnet run` works in Production too; a published app has them in wwwroot.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddUserManagement(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddAppSecurity(builder.Configuration);
builder.Services.AddOperations(builder.Configuration);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices(options =>
{
    options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
    options.SnackbarConfiguration.ShowCloseIcon = true;
    options.SnackbarConfiguration.VisibleStateDuration = 5000;
    options.SnackbarConfiguration.SnackbarVariant = Variant.Filled;
});
builder.Services.AddReauthenticationPrompt();
builder.Services.AddScoped<PasskeyBrowser>();

var app = builder.Build();
if (AppVerbs.IsBusVerb(args))
{
    return await AppVerbs.RunBusVerbAsync(app, args);
}

app.UseRequestCorrelation();
// The open-circuit instrument exists from the start: a listener on a fresh node reads 0, not nothing.
app.Services.GetRequiredService<OpenCircuits>();

await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
var bootstrap = await app.Services.GetRequiredService<AdministratorBootstrap>().EnsureAdministratorAsync(
    app.Configuration["Bootstrap:AdminEmail"], app.Configuration["Bootstrap:AdminPassword"]);
app.PrintStartBanner(bootstrap);

app.UseConfiguredForwardedHeaders();
app.UseSecurityHeaders();
app.UseHostPrefixCookies();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets();
// The full Content-Security-Policy (frame-ancestors 'none' included) comes from UseSecurityHeaders.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
app.MapAccountEndpoints();
app.MapPasskeySignIn();
app.MapAuditEndpoints();
app.MapUserExport();
app.MapHealthEndpoints();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;

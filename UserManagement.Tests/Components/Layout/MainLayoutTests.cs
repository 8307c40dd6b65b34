using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Extensions;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Layout;

namespace UserManagement.Tests.Components.Layout;

public sealed class MainLayoutTests : ComponentTestContext
{
    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

    [Fact]
    public void Should_show_the_product_name_navigation_and_the_page()
    {
        var cut = RenderLayout();

        cut.Find(".mud-appbar").TextContent.ShouldContain("UserManagement");
        cut.FindAll(".mud-nav-link").Select(a => a.TextContent.Trim()).ShouldBe(["Users", "New user", "Import users", "Jobs", "Audit trail"]);
        cut.Markup.ShouldContain("page body");
    }

    [Fact]
    public void Should_mark_the_page_interactive_after_the_first_interactive_render()
    {
        var module = JSInterop.SetupModule("./js/app.js");

        RenderLayout();

        module.VerifyInvoke("markInteractive");
    }

    [Fact]
    public async Task Should_switch_to_dark_mode_and_remember_it_in_this_browser()
    {
        var module = JSInterop.SetupModule("./js/app.js");
        var cut = RenderLayout();
        var theme = cut.FindComponent<MudThemeProvider>();
        theme.Instance.GetState(t => t.IsDarkMode).ShouldBeFalse();

        await cut.Do(c => c.Find("button[aria-label='Switch to dark mode']").Click());

        theme.Instance.GetState(t => t.IsDarkMode).ShouldBeTrue();
        module.VerifyInvoke("rememberTheme").Arguments.ShouldBe([true]);
        await cut.Do(c => c.Find("button[aria-label='Switch to light mode']").Click());
        theme.Instance.GetState(t => t.IsDarkMode).ShouldBeFalse();
        module.VerifyInvoke("rememberTheme", calledTimes: 2)[1].Arguments.ShouldBe([false]);
    }
}

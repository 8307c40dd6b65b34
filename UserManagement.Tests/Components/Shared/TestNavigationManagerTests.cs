using Microsoft.AspNetCore.Components.Routing;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Components.Shared;

/// <summary>
/// Pins what the editor's "unsaved changes" flake taught (ADR 0019): a navigation whose location-changing handler
/// finishes later must still change the URL and announce it on the renderer's dispatcher, where the router can render.
/// </summary>
public sealed class TestNavigationManagerTests : ComponentTestContext
{
    [Fact]
    public async Task Should_announce_a_navigation_on_the_dispatcher_when_its_handler_completes_later()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var announcedOnDispatcher = new List<bool>();
        using var handler = Navigation.RegisterLocationChangingHandler(async _ => await answer.Task);
        Navigation.LocationChanged += (_, _) => announcedOnDispatcher.Add(Renderer.Dispatcher.CheckAccess());

        await Renderer.Dispatcher.InvokeAsync(() => Navigation.NavigateTo("/users"));
        var navigation = Navigation.LastNavigation;
        navigation.IsCompleted.ShouldBeFalse();
        Navigation.Uri.ShouldBe("http://localhost/");

        answer.SetResult();
        await navigation;

        Navigation.Uri.ShouldBe("http://localhost/users");
        announcedOnDispatcher.ShouldBe([true]);
    }

    [Fact]
    public async Task Should_keep_the_url_when_a_handler_prevents_the_navigation()
    {
        var changed = 0;
        using var handler = Navigation.RegisterLocationChangingHandler(async context =>
        {
            await Task.Yield();
            context.PreventNavigation();
        });
        Navigation.LocationChanged += (_, _) => changed++;

        await Renderer.Dispatcher.InvokeAsync(() => Navigation.NavigateTo("/users"));
        await Navigation.LastNavigation;

        Navigation.Uri.ShouldBe("http://localhost/");
        changed.ShouldBe(0);
    }
}

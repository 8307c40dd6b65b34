using Bunit;
using Microsoft.AspNetCore.Components;

namespace UserManagement.Tests.Support;

/// <summary>
/// The one safe way for a component test to raise an event: find the element and raise the event in one step, on
/// the renderer's dispatcher. An element found earlier, on the test's own thread, carries the event handler id of
/// the render it came from; when a render happens in between (a dialog finishing its set-up, a debounce, a load),
/// bUnit dispatches to an id that no longer exists and the event is dropped without a trace. On a loaded machine
/// that lost the click on a dialog's Confirm, and the test then waited in vain for a navigation.
/// </summary>
public static class Interactions
{
    /// <summary>
    /// Runs <paramref name="interaction"/> (a <c>Find</c> and an event: <c>Click()</c>, <c>Input(...)</c>,
    /// <c>Change(...)</c>, <c>Blur()</c>, ...) on the renderer's dispatcher. It returns when the event handler has
    /// started (it may still be awaiting something, such as a dialog the test answers next), not when it has finished.
    /// </summary>
    public static Task Do<TComponent>(this IRenderedComponent<TComponent> cut, Action<IRenderedComponent<TComponent>> interaction)
        where TComponent : IComponent
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return cut.InvokeAsync(() => interaction(cut));
    }

    /// <summary>Clicks the element <paramref name="cssSelector"/> finds, found and clicked in one step.</summary>
    public static Task ClickOn<TComponent>(this IRenderedComponent<TComponent> cut, string cssSelector)
        where TComponent : IComponent =>
        cut.Do(c => c.Find(cssSelector).Click());
}

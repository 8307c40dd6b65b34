using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace UserManagement.Tests.Support;

/// <summary>
/// The one safe way for a component test to raise an event: find the element and raise the event in one step, on
/// the renderer's dispatcher. An element found earlier, on the test's own thread, carries the event handler id of
/// the render it came from; when a render happens in between (a dialog finishing its set-up, a debounce, a load),
/// bUnit dispatches to an id that no longer exists and the event is dropped without a trace. On a loaded machine
/// that lost the click on a dialog's Confirm, and the test then waited in vain for a navigation.
/// <c>ComponentEventGuardTests</c> fails when a component test raises an event any other way (ADR 0019).
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

    /// <summary>Clicks the one button whose text is <paramref name="text"/>, found and clicked in one step.</summary>
    public static Task ClickButton<TComponent>(this IRenderedComponent<TComponent> cut, string text)
        where TComponent : IComponent =>
        cut.Do(c => c.FindAll("button").Single(b => b.TextContent.Trim() == text).Click());

    /// <summary>The input that the label <paramref name="label"/> (without its required star) is for.</summary>
    public static IElement Field<TComponent>(this IRenderedComponent<TComponent> cut, string label)
        where TComponent : IComponent
    {
        var forId = cut.FindAll("label").Single(l => l.TextContent.Trim().TrimEnd('*').Trim() == label).GetAttribute("for");
        return cut.Find($"#{forId}");
    }

    /// <summary>Types <paramref name="text"/> into the field labelled <paramref name="label"/>, found and raised in one step.</summary>
    public static Task TypeInto<TComponent>(this IRenderedComponent<TComponent> cut, string label, string text)
        where TComponent : IComponent =>
        cut.Do(c => c.Field(label).Input(text));
}

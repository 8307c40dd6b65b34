using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace UserManagement.Tests.Support;

/// <summary>
/// What a component test reads off the screen, found as the administrator finds it (a button by its text, a field by
/// its label), and the one gesture the dialogs share. Events go through <see cref="Interactions"/>.
/// </summary>
public static class Screen
{
    private const string ConfirmButton = "[data-testid=confirm]";

    /// <summary>The one button whose text is <paramref name="text"/>.</summary>
    public static IElement Button<TComponent>(this IRenderedComponent<TComponent> cut, string text)
        where TComponent : IComponent =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);

    /// <summary>The rows of the users grid on screen.</summary>
    public static IReadOnlyList<IElement> GridRows<TComponent>(this IRenderedComponent<TComponent> cut)
        where TComponent : IComponent =>
        cut.FindAll("tbody tr.mud-table-row");

    /// <summary>The entries of an audit table on screen (the audit page, a user's history).</summary>
    public static IReadOnlyList<IElement> AuditRows<TComponent>(this IRenderedComponent<TComponent> cut)
        where TComponent : IComponent =>
        cut.FindAll("tr[data-testid=audit-entry]");

    /// <summary>The messages under the field labelled <paramref name="label"/>, joined by " | "; empty when it has none.</summary>
    public static string FieldErrors<TComponent>(this IRenderedComponent<TComponent> cut, string label)
        where TComponent : IComponent =>
        string.Join(" | ", cut.Field(label).Closest(".mud-input-control")!
            .QuerySelectorAll(".mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0));

    /// <summary>Waits until a snackbar on screen contains <paramref name="text"/>.</summary>
    public static void ShouldShowSnackbar<TComponent>(this IRenderedComponent<TComponent> cut, string text, TimeSpan? timeout = null)
        where TComponent : IComponent =>
        cut.WaitForAssertion(() => cut.FindAll(".mud-snackbar").Select(e => e.TextContent).ShouldContain(t => t.Contains(text)), timeout);

    /// <summary>Waits for the open dialog's confirm button (a confirmation, the temporary password) and clicks it.</summary>
    public static Task ConfirmDialogAsync<TComponent>(this IRenderedComponent<TComponent> cut)
        where TComponent : IComponent
    {
        cut.WaitForElement(ConfirmButton);
        return cut.ClickOn(ConfirmButton);
    }
}

using MudBlazor;
using MudBlazor.Extensions;

namespace UserManagement.Web.Components.Shared;

public static class MudFormExtensions
{
    /// <summary>
    /// Hands what a debounced field shows to its bound value now, instead of when its debounce fires. Wire it to
    /// the field's <c>OnBlur</c>: leaving the field is the moment a click on Save or on another control follows.
    /// </summary>
    /// <remarks>
    /// A debounced MudTextField keeps typed text apart from its value until the debounce fires. In MudBlazor 9.12
    /// the debouncer is briefly not "pending" at its start and just before it applies the text, and a re-render of
    /// the form while the field is not focused then writes the old value back into the box. The browser tests
    /// caught it under load: a name typed just before Save was not sent, and the page said "Changes saved.". At
    /// blur the text is still what was typed, so committing it then leaves nothing for a re-render to lose.
    /// </remarks>
    public static async Task CommitTypedTextAsync(this MudTextField<string> field)
    {
        var text = field.GetState(f => f.Text);
        if (!string.Equals(text ?? string.Empty, field.GetState(f => f.Value) ?? string.Empty, StringComparison.Ordinal))
        {
            await field.ValueChanged.InvokeAsync(text);
        }
    }
}

using MudBlazor;

namespace UserManagement.Web.Components.Shared;

public static class MudFormExtensions
{
    /// <summary>
    /// Validates the form on what was typed. A field's typing debounce can fire while a click is being handled,
    /// its value update queued behind the handler, so the first check may judge the old value (seen in the browser
    /// tests under load): when it fails, let the queued updates land and judge once more. Real errors fail twice.
    /// </summary>
    public static async Task<bool> IsValidAsTypedAsync(this MudForm form)
    {
        await form.ValidateAsync();
        if (form.IsValid)
        {
            return true;
        }

        await Task.Yield();
        await form.ValidateAsync();
        return form.IsValid;
    }
}

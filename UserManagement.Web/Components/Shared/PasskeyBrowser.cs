using Microsoft.JSInterop;

namespace UserManagement.Web.Components.Shared;

/// <summary>What the browser did with a passkey ceremony: the answer (JSON) to send on, or the DOMException name of why not.</summary>
public sealed record PasskeyBrowserResult(string? Credential, string? Error)
{
    /// <summary>Why no passkey came back, in words for the person.</summary>
    public string Describe() => Error switch
    {
        "NotAllowedError" => "No passkey was used: the request was cancelled or timed out.",
        "InvalidStateError" => "This device already holds one of your passkeys.",
        "NotSupportedError" => "This browser cannot use passkeys.",
        "SecurityError" => "This address cannot use passkeys: ask an administrator to check the passkey settings.",
        _ => "No passkey was used.",
    };
}

/// <summary>
/// The browser's side of a ceremony for the console's pages, through wwwroot/js/passkeys.js (the module App.razor
/// loads, imported here by the same URL).
/// </summary>
public sealed class PasskeyBrowser(IJSRuntime js) : IAsyncDisposable
{
    private IJSObjectReference? _module;

    /// <summary>navigator.credentials.create() with the server's registration options.</summary>
    public Task<PasskeyBrowserResult> CreateAsync(string optionsJson) => RunAsync("create", optionsJson);

    /// <summary>navigator.credentials.get() with the server's assertion options.</summary>
    public Task<PasskeyBrowserResult> GetAsync(string optionsJson) => RunAsync("get", optionsJson);

    private async Task<PasskeyBrowserResult> RunAsync(string ceremony, string optionsJson)
    {
        try
        {
            // Two minutes for the person at the authenticator, as the options tell the browser (PasskeySettings.CeremonyTimeout).
            _module ??= await js.InvokeAsync<IJSObjectReference>("import", "./js/passkeys.js");
            return await _module.InvokeAsync<PasskeyBrowserResult>(
                ceremony, Application.Passkeys.PasskeySettings.CeremonyTimeout + TimeSpan.FromSeconds(30), [optionsJson]);
        }
        catch (JSException)
        {
            return new PasskeyBrowserResult(null, "UnknownError"); // the module did not load; the page says no passkey was used
        }
        catch (TaskCanceledException)
        {
            return new PasskeyBrowserResult(null, "NotAllowedError"); // nobody answered in time
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone; there is nothing left to release.
            }
        }
    }
}

using Microsoft.JSInterop;

namespace UserManagement.Web.Components.Shared;

/// <summary>Hands bytes made on the server to the browser as a file download.</summary>
public static class FileDownload
{
    public const string Csv = "text/csv;charset=utf-8";

    public static async Task SaveAsync(IJSRuntime js, string fileName, string contentType, byte[] content)
    {
        await using var module = await js.InvokeAsync<IJSObjectReference>("import", "./js/app.js");
        using var stream = new MemoryStream(content);
        using var reference = new DotNetStreamReference(stream);
        await module.InvokeVoidAsync("downloadFile", fileName, contentType, reference);
    }
}

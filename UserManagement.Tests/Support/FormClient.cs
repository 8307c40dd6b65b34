using System.Net;
using System.Text.RegularExpressions;

namespace UserManagement.Tests.Support;

/// <summary>An HTTP client that submits the app's HTML forms the way a browser does: hidden fields included.</summary>
public sealed partial class FormClient(HttpClient client) : IDisposable
{
    public HttpClient Http => client;

    /// <summary>Loads <paramref name="page"/>, takes the hidden fields of the form posting to <paramref name="action"/>, adds <paramref name="fields"/>, posts.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, IDictionary<string, string> fields, string? action = null)
    {
        var html = await client.GetStringAsync(new Uri(page, UriKind.Relative));
        var values = HiddenFields(html, action);
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return await client.PostAsync(new Uri(action ?? page, UriKind.Relative), new FormUrlEncodedContent(values));
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password, string page = "/signin") =>
        SubmitAsync(page, new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>The antiforgery token <paramref name="page"/>'s form carries (and its cookie, now in this client), as a script reads it.</summary>
    public async Task<string> AntiforgeryTokenAsync(string page = "/signin") =>
        HiddenFields(await client.GetStringAsync(new Uri(page, UriKind.Relative)), null)["__RequestVerificationToken"];

    public async Task<HttpStatusCode> StatusOfAsync(string path) =>
        (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode;

    private static Dictionary<string, string> HiddenFields(string html, string? action)
    {
        var form = action is null
            ? html
            : FormPattern().Matches(html).Select(m => m.Value).FirstOrDefault(f => f.Contains($"action=\"{action.TrimStart('/')}\"", StringComparison.Ordinal)
                || f.Contains($"action=\"{action}\"", StringComparison.Ordinal))
              ?? throw new InvalidOperationException($"No form posts to {action}.");
        return HiddenPattern().Matches(form)
            .Select(m => (Name: NamePattern().Match(m.Value).Groups[1].Value, Value: ValuePattern().Match(m.Value).Groups[1].Value))
            .Where(f => f.Name.Length > 0)
            .GroupBy(f => f.Name)
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Value));
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("<form[\\s\\S]*?</form>")]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenPattern();

    [GeneratedRegex("name=\"([^\"]*)\"")]
    private static partial Regex NamePattern();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValuePattern();
}

using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using UserManagement.Application.Audit;
using UserManagement.Web.Components.Shared;

namespace UserManagement.Web.Components.Pages.Audit;

/// <summary>
/// What the audit page shows: search, who did it (an administrator's id, "system" or "anonymous"), which action,
/// about which user, which days (UTC, both inclusive), the page (a keyset cursor) and its size. It lives in the URL
/// like the users list's view; the CSV export takes the same filter parameters.
/// </summary>
public sealed record AuditListView(
    string Search = "",
    string? Actor = null,
    string? Action = null,
    Guid? User = null,
    DateOnly? From = null,
    DateOnly? To = null,
    AuditCursor? Before = null,
    AuditCursor? After = null,
    int PageSize = AuditListView.DefaultPageSize,
    string? Correlation = null) : IUrlView
{
    public const int DefaultPageSize = 25;
    public const string ExportPath = "audit/export.csv";

    public static IReadOnlyList<int> PageSizes { get; } = [10, 25, 50, 100];

    public bool IsFiltered => Search.Length > 0 || Actor is not null || Action is not null || User is not null || From is not null || To is not null || Correlation is not null;

    /// <summary>A search too short to run: the page says so instead of searching.</summary>
    public bool SearchTooShort => Search.Length is > 0 and < AuditFilter.SearchMinLength;

    /// <summary>The range ends before it starts: the page says so and leaves the end out.</summary>
    public bool RangeBackwards => From is { } from && To is { } to && to < from;

    /// <summary>This view's filter on its newest page, as a filter change starts.</summary>
    public AuditListView FirstPage => this with { Before = null, After = null };

    public static AuditListView FromQuery(
        string? search, string? actor, string? action, string? user, string? from, string? to, string? before, string? after, string? size,
        string? correlation = null)
    {
        var older = AuditCursor.Parse(before);
        return new AuditListView(
            Search: UrlState.Search(search, AuditFilter.SearchMaxLength),
            Actor: UrlState.Id(actor)?.ToString() ?? AuditFilter.ActorsWithoutId.FirstOrDefault(a => string.Equals(a, actor, StringComparison.OrdinalIgnoreCase)),
            Action: AuditActions.All.FirstOrDefault(a => string.Equals(a, action, StringComparison.OrdinalIgnoreCase)),
            User: UrlState.Id(user),
            From: UrlState.Day(from),
            To: UrlState.Day(to),
            Before: older,
            After: older is null ? AuditCursor.Parse(after) : null,
            PageSize: UrlState.Choice(size, PageSizes, DefaultPageSize),
            Correlation: string.IsNullOrWhiteSpace(correlation) || correlation.Length > AuditFilter.CorrelationIdMaxLength ? null : correlation.Trim());
    }

    public IReadOnlyDictionary<string, object?> ToQueryParameters()
    {
        var parameters = FilterParameters().ToDictionary(p => p.Key, p => (object?)p.Value);
        parameters["before"] = Before?.ToString();
        parameters["after"] = After?.ToString();
        parameters["size"] = PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture);
        return parameters;
    }

    public AuditFilter ToFilter()
    {
        var actorId = UrlState.Id(Actor);
        return new AuditFilter(
            ActorId: actorId,
            ActorName: actorId is null ? Actor : null,
            Action: Action,
            UserId: User,
            From: From?.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            To: RangeBackwards ? null : To?.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            Search: SearchTooShort || Search.Length == 0 ? null : Search,
            CorrelationId: Correlation);
    }

    public ListAuditEntriesQuery ToQuery() => new(ToFilter(), Before, After, PageSize);

    /// <summary>The CSV export of every entry this view's filter matches (all pages).</summary>
    public string ExportUrl() =>
        QueryHelpers.AddQueryString(ExportPath, FilterParameters().Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));

    private Dictionary<string, string?> FilterParameters() => new()
    {
        ["search"] = Search.Length > 0 ? Search : null,
        ["actor"] = Actor,
        ["action"] = Action,
        ["user"] = User?.ToString(),
        ["from"] = UrlState.Day(From),
        ["to"] = UrlState.Day(To),
        ["correlation"] = Correlation,
    };
}

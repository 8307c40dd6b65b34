using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace UserManagement.Web.Components.Shared;

/// <summary>
/// A screen whose whole view (search, filters, sort, page) lives in the URL's query string, so a reload, Back or a
/// shared link shows the same thing. The page reads the view from its query parameters (leniently: see
/// <see cref="UrlState"/>) and changes it only by navigating to the view's URL. Used by the users list and the audit
/// trail (ADR 0005).
/// </summary>
public interface IUrlView
{
    /// <summary>The query string parameters; defaults are null, to keep links short.</summary>
    IReadOnlyDictionary<string, object?> ToQueryParameters();
}

/// <summary>Reads query values leniently: anything that does not parse, or is out of range, is left at its default.</summary>
public static class UrlState
{
    /// <summary>Moves to <paramref name="view"/> by changing the URL; the page then reads it back from there.</summary>
    public static void Show(this NavigationManager navigation, IUrlView view) =>
        navigation.NavigateTo(navigation.GetUriWithQueryParameters(view.ToQueryParameters()));

    public static TEnum? Enum<TEnum>(string? value)
        where TEnum : struct, Enum =>
        System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : null;

    /// <summary>The trimmed search, cut to <paramref name="maxLength"/>.</summary>
    public static string Search(string? value, int maxLength)
    {
        var trimmed = (value ?? string.Empty).Trim();
        return trimmed.Length > maxLength ? trimmed[..maxLength] : trimmed;
    }

    public static Guid? Id(string? value) => Guid.TryParse(value, out var id) && id != Guid.Empty ? id : null;

    /// <summary>A day written yyyy-MM-dd.</summary>
    public static DateOnly? Day(string? value) =>
        DateOnly.TryParseExact(value, DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static string? Day(DateOnly? day) => day?.ToString(DayFormat, CultureInfo.InvariantCulture);

    /// <summary>One of <paramref name="allowed"/>, else <paramref name="fallback"/>.</summary>
    public static int Choice(string? value, IReadOnlyList<int> allowed, int fallback) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && allowed.Contains(number) ? number : fallback;

    private const string DayFormat = "yyyy-MM-dd";
}

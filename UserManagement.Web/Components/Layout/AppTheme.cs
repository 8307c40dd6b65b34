using MudBlazor;

namespace UserManagement.Web.Components.Layout;

/// <summary>
/// MudBlazor's theme with the colours that carry text made dark (light mode) or light (dark mode) enough for WCAG
/// 2.2 AA: 4.5:1 for text on the page's backgrounds, and for the text on filled buttons and chips. The defaults
/// failed axe-core: the green "Active" chip (#00c853 on white, 2.2:1), the red Delete button (3.7:1), warning
/// buttons (2.1:1), and in dark mode links, the active navigation item, filled buttons and secondary text. AccessibilityTests
/// checks every page in both modes.
/// </summary>
public static class AppTheme
{
    private const string DarkInk = "#1e1e2d";

    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Success = "#2e7d32",
            Warning = "#a15c00",
            Error = "#c62828",
            Info = "#1565c0",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a59cf5",
            PrimaryContrastText = DarkInk,
            SuccessContrastText = DarkInk,
            WarningContrastText = DarkInk,
            Error = "#ff8a80",
            ErrorContrastText = DarkInk,
            Info = "#64b5f6",
            InfoContrastText = DarkInk,

            // An info alert's text is drawn in "info darken": on the dark background it must be lighter, not darker
            // (MudBlazor's own shade reads at 4.2:1 there).
            InfoDarken = "#90caf9",

            // The same for a warning alert (the live "Changed by ..." banner): MudBlazor's shade reads at 4.2:1.
            WarningDarken = "#ffb74d",
            // The same for a success alert (a finished job's summary): MudBlazor's shade reads at 3.2:1 there.
            SuccessDarken = "#81c784",
            TextSecondary = "rgba(255,255,255,0.65)",
        },
    };
}

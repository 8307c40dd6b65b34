// Small browser helpers the app calls through JS interop. A module file, not inline script, so the
// Content-Security-Policy can stay at script-src 'self'.

// Marks the page as interactive: the circuit is connected and event handlers are attached.
// Browser tests wait for body[data-interactive="true"] before they click.
export function markInteractive() {
  document.body.dataset.interactive = "true";
}

// Focuses the first editable field inside the container, unless the person is already in a field: on a slow
// connection this runs after the page is shown, and must not take the focus from where they went meanwhile.
export function focusFirstFieldUnlessTyping(container) {
  const active = document.activeElement;
  const typing = active instanceof HTMLElement
    && (container.contains(active) || active.isContentEditable || active.matches("input, textarea, select"));
  if (typing) {
    return;
  }
  container.querySelector("input:not([readonly]):not([disabled]):not([type=hidden]), textarea:not([readonly]), select")?.focus();
}

// Remembers the colour scheme for this browser for a year; the server reads it when it prerenders.
export function rememberTheme(isDark) {
  document.cookie = `um-theme=${isDark ? "dark" : "light"}; path=/; max-age=31536000; samesite=lax`;
}

// True on screens narrower than MudBlazor's Md breakpoint, where the navigation drawer overlays the page.
export function isNarrowScreen() {
  return window.matchMedia("(max-width: 959.98px)").matches;
}

// Saves bytes the server sent (a DotNetStreamReference) as a file download, without a round trip to a URL.
export async function downloadFile(fileName, contentType, streamRef) {
  const buffer = await streamRef.arrayBuffer();
  const url = URL.createObjectURL(new Blob([buffer], { type: contentType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

// The row tooltips are drawn by CSS (.row-tip in app.css). Escape hides the one shown without moving the pointer
// or the focus (WCAG 2.2, 1.4.13); it shows again once the focus moves or the pointer reaches another tooltip.
let dismissedTip = null;
document.addEventListener("keydown", event => {
  if (event.key !== "Escape") {
    return;
  }
  const shown = document.activeElement?.closest(".row-tip") ?? document.querySelector(".row-tip:hover");
  if (shown) {
    dismissedTip = shown;
    shown.dataset.tipDismissed = "true";
  }
});
function showDismissedTipAgain(event) {
  if (dismissedTip && event.target.closest?.(".row-tip") !== dismissedTip) {
    delete dismissedTip.dataset.tipDismissed;
    dismissedTip = null;
  }
}
document.addEventListener("focusin", showDismissedTipAgain);
document.addEventListener("pointerover", showDismissedTipAgain);

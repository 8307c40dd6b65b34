using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;

namespace UserManagement.Tests.Support;

/// <summary>
/// The component tests' <see cref="NavigationManager"/>: a navigation runs, from its location-changing handlers to the
/// location-changed event, on the renderer's dispatcher, as in the app. bUnit 2's <c>BunitNavigationManager</c> awaits
/// the handlers with <c>ConfigureAwait(false)</c>: after a handler that completes later (a NavigationLock asking "discard
/// your changes?"), it set <see cref="NavigationManager.Uri"/> and raised <c>LocationChanged</c> on a thread-pool thread.
/// The router's render then threw (wrong thread) into a discarded task, so no render followed the new URL, and a
/// <c>WaitForAssertion</c> on the URL that ran before that thread got its turn was never checked again (ADR 0019).
/// </summary>
public sealed class TestNavigationManager : NavigationManager
{
    private readonly BunitContext _context;

    public TestNavigationManager(BunitContext context)
    {
        _context = context;
        Initialize("http://localhost/", "http://localhost/");
    }

    /// <summary>The latest navigation: done once it was allowed and announced, or prevented; faults with its handler's exception.</summary>
    public Task LastNavigation { get; private set; } = Task.CompletedTask;

    protected override void NavigateToCore(string uri, NavigationOptions options)
    {
        LastNavigation = _context.Renderer.Dispatcher.InvokeAsync(async () =>
        {
            // No ConfigureAwait(false): the rest of the navigation stays on the dispatcher, whoever finished the handlers.
            if (!await NotifyLocationChangingAsync(uri, options.HistoryEntryState, isNavigationIntercepted: false))
            {
                return;
            }

            var absolute = ToAbsoluteUri(uri);
            var external = !absolute.AbsoluteUri.StartsWith(BaseUri, StringComparison.OrdinalIgnoreCase);
            Uri = absolute.OriginalString;
            HistoryEntryState = options.ForceLoad ? null : options.HistoryEntryState;
            if (!external)
            {
                NotifyLocationChanged(isInterceptedLink: false);
            }
        });
    }

    protected override void SetNavigationLockState(bool value)
    {
    }

    protected override void HandleLocationChangingHandlerException(Exception ex, LocationChangingContext context) =>
        throw new InvalidOperationException($"A location-changing handler failed for {context.TargetLocation}.", ex);
}

using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using UserManagement.Application.Common;

namespace UserManagement.Web.Components.Layout;

/// <summary>
/// The one place a bug reaches in a circuit: from rendering, a lifecycle method, an event handler, or work off the
/// renderer handed in with <c>DispatchExceptionAsync</c> (<see cref="Shared.LiveComponent"/>). It logs the bug once,
/// with the reference it shows the user: the correlation id of the message that threw (<see cref="ErrorCorrelation"/>),
/// which its audit entries and log lines carry too, or a new one when no message was involved.
/// </summary>
public sealed partial class AppErrorBoundary : IDisposable
{
    /// <summary>The reference shown for the bug on screen.</summary>
    public string? CorrelationId { get; private set; }

    protected override void OnInitialized() => Navigation.LocationChanged += RecoverOnNavigation;

    public void Dispose() => Navigation.LocationChanged -= RecoverOnNavigation;

    /// <summary>
    /// Logs the bug, once, with its reference. This replaces the default boundary's log line (a Warning without the
    /// reference). A second bug while the panel shows is logged too, and the panel keeps the first reference.
    /// </summary>
    protected override Task OnErrorAsync(Exception exception)
    {
        var reference = ErrorCorrelation.Of(exception) ?? OperationContext.NewCorrelationId();
        if (CurrentException is null)
        {
            CorrelationId = reference;
        }

        LogBug(Logger, exception, reference);
        return Task.CompletedTask;
    }

    // Another page is a fresh start: the one that failed is left behind.
    private void RecoverOnNavigation(object? sender, LocationChangedEventArgs e)
    {
        if (CurrentException is not null)
        {
            _ = InvokeAsync(Recover);
        }
    }

    private void ReloadPage() => Navigation.NavigateTo(Navigation.Uri, forceLoad: true);

    [LoggerMessage(EventId = 1420, Level = LogLevel.Error, Message = "An unexpected error stopped the page; the user was shown reference {CorrelationId}")]
    private static partial void LogBug(ILogger logger, Exception exception, string correlationId);
}

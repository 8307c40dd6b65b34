using Microsoft.AspNetCore.Components;

namespace UserManagement.Web.Components.Shared;

/// <summary>
/// A component that something off the renderer calls back: a poll's tick (<see cref="Poller"/>), a colleague's change
/// (<c>UserChangeBroadcast</c>), a presence watcher, the server stopping. Such a call runs outside the renderer's
/// dispatch, so a bug in it would reach no error boundary; the caller, shared by every circuit, could only log it under
/// no reference. <see cref="OnRendererAsync(Func{Task})"/> is the one way in: it runs the work on this component's
/// renderer and hands a bug to the error boundary around the component (<c>AppErrorBoundary</c>), as if the component
/// had thrown it while rendering (ADR 0028).
/// </summary>
public abstract class LiveComponent : ComponentBase
{
    /// <summary>
    /// Runs <paramref name="work"/> on the renderer. A bug in it goes to the enclosing error boundary, not to the caller;
    /// the returned task fails only when that cannot be done either (this component is gone).
    /// </summary>
    protected Task OnRendererAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InvokeAsync(async () =>
        {
            try
            {
                await work();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await DispatchExceptionAsync(e);
            }
        });
    }

    /// <inheritdoc cref="OnRendererAsync(Func{Task})"/>
    protected Task OnRendererAsync(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return OnRendererAsync(() =>
        {
            work();
            return Task.CompletedTask;
        });
    }
}

using Microsoft.AspNetCore.Components.Authorization;
using UserManagement.Application.Accounts;

namespace UserManagement.Web.Security;

/// <summary>
/// The authentication state of a page or circuit. A circuit keeps the principal it connected with, so this
/// provider re-checks the session every <see cref="RevalidationInterval"/>: once the session has ended
/// (signed out, user disabled, deleted or demoted, password changed) the circuit becomes anonymous and its
/// pages send it to sign-in. Handlers do not wait for this: they confirm the session on every message.
/// </summary>
public sealed partial class SessionAuthenticationStateProvider(
    SessionValidator sessions, TimeProvider clock, ILogger<SessionAuthenticationStateProvider> logger)
    : AuthenticationStateProvider, IHostEnvironmentAuthenticationStateProvider, IDisposable
{
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(30);

    private static readonly AuthenticationState Anonymous = new(new System.Security.Claims.ClaimsPrincipal());

    private readonly CancellationTokenSource _stop = new();
    private Task<AuthenticationState>? _state;

    /// <summary>True once the host has handed over the request's or circuit's user.</summary>
    public bool HasState => _state is not null;

    public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
        _state ?? throw new InvalidOperationException("The authentication state has not been set for this scope yet.");

    public void SetAuthenticationState(Task<AuthenticationState> authenticationStateTask)
    {
        _state = authenticationStateTask;
        NotifyAuthenticationStateChanged(authenticationStateTask);
        _ = RevalidateAsync(authenticationStateTask, _stop.Token);
    }

    private async Task RevalidateAsync(Task<AuthenticationState> stateTask, CancellationToken stop)
    {
        try
        {
            var sessionId = AppClaims.SessionIdOf((await stateTask).User);
            if (sessionId is null)
            {
                return;
            }

            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(RevalidationInterval, clock, stop);
                if (await sessions.RecheckAsync(sessionId.Value, stop) is null)
                {
                    LogSessionEnded(sessionId.Value);
                    _state = Task.FromResult(Anonymous);
                    NotifyAuthenticationStateChanged(_state);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The circuit or request is over.
        }
        catch (Exception e)
        {
            // A failed check must not leave a circuit signed in on stale rights: treat it as ended.
            LogRevalidationFailed(e);
            _state = Task.FromResult(Anonymous);
            NotifyAuthenticationStateChanged(_state);
        }
    }

    // Cancelled, not disposed: a revalidation still unwinding may read its token after the scope ends.
    public void Dispose() => _stop.Cancel();

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Session {SessionId} ended; its circuit is now signed out")]
    private partial void LogSessionEnded(Guid sessionId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Re-checking a circuit's session failed; the circuit is signed out")]
    private partial void LogRevalidationFailed(Exception e);
}

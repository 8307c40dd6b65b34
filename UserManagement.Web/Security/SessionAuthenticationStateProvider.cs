using Microsoft.AspNetCore.Components.Authorization;
using UserManagement.Application.Accounts;
using UserManagement.Application.Users;
using UserManagement.Web.Live;

namespace UserManagement.Web.Security;

/// <summary>
/// The authentication state of a page or circuit. A circuit keeps the principal it connected with, so this
/// provider re-checks the session every <see cref="RevalidationInterval"/>: once the session has ended
/// (signed out, user disabled, deleted or demoted, password changed) the circuit becomes anonymous and its
/// pages send it to sign-in. Handlers do not wait for this: they confirm the session on every message.
/// When a colleague's change to the circuit's user reaches this node (<paramref name="changes"/>: disabled, demoted,
/// signed out everywhere, deleted, password set), the session is re-checked at once; the 30 s loop stays as the
/// fallback for changes that arrive no other way. Neither re-check counts as the person's activity.
/// </summary>
public sealed partial class SessionAuthenticationStateProvider(
    SessionValidator sessions, TimeProvider clock, ILogger<SessionAuthenticationStateProvider> logger,
    UserChangeBroadcast? changes = null)
    : AuthenticationStateProvider, IHostEnvironmentAuthenticationStateProvider, IDisposable
{
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(30);

    private static readonly AuthenticationState Anonymous = new(new System.Security.Claims.ClaimsPrincipal());

    private readonly CancellationTokenSource _stop = new();
    private Task<AuthenticationState>? _state;
    private int _ended;

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
            var principal = (await stateTask).User;
            var sessionId = AppClaims.SessionIdOf(principal);
            if (sessionId is null)
            {
                return;
            }

            // Held as long as this loop runs: the circuit's end (Dispose) or the session's end lets it go.
            using var subscription = LiveChanges.AdministratorId(principal) is { } userId
                ? changes?.Subscribe(change => RecheckOnChangeAsync(change, userId, sessionId.Value, stop))
                : null;
            while (!stop.IsCancellationRequested && Volatile.Read(ref _ended) == 0)
            {
                await Task.Delay(RevalidationInterval, clock, stop);
                if (await sessions.RecheckAsync(sessionId.Value, stop) is null)
                {
                    SignOut(sessionId.Value);
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

    private async Task RecheckOnChangeAsync(UserChange change, Guid userId, Guid sessionId, CancellationToken stop)
    {
        if (change.Event.User.Id != userId || !MayEndSessions(change.Event) || stop.IsCancellationRequested)
        {
            return;
        }

        try
        {
            if (await sessions.RecheckAsync(sessionId, stop) is null)
            {
                SignOut(sessionId);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The circuit is over.
        }
        catch (Exception e)
        {
            LogRevalidationFailed(e);
            SignOut(sessionId);
        }
    }

    private static bool MayEndSessions(IUserEvent domainEvent) =>
        domainEvent is SessionsEnded or UserStatusChanged or UserRoleChanged or UserDeleted or PasswordChanged or PasswordReset;

    /// <summary>Once only, whichever re-check noticed first.</summary>
    private void SignOut(Guid sessionId)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            LogSessionEnded(sessionId);
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

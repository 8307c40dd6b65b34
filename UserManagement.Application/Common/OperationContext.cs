using System.Diagnostics;

namespace UserManagement.Application.Common;

/// <summary>
/// Who is doing the current operation, and the id that ties together everything it records (audit entries, log
/// lines, published events). Ambient: the authorization step begins one for each message from the confirmed
/// caller, start-up work begins <see cref="System"/>, and background work begins one for the administrator who
/// asked for it. Code that runs outside all of these is "system" with a correlation id of its own.
/// </summary>
public sealed record OperationContext(Guid? ActorId, string ActorName, string CorrelationId)
{
    public const string SystemActorName = "system";
    public const string AnonymousActorName = "anonymous";

    private static readonly AsyncLocal<OperationContext?> Ambient = new();

    /// <summary>The operation running now; "system" with a fresh correlation id when none was begun.</summary>
    public static OperationContext Current => Ambient.Value ?? System();

    /// <summary>Start-up and maintenance work that nobody asked for.</summary>
    public static OperationContext System() => new(null, SystemActorName, NewCorrelationId());

    /// <summary>A message sent by someone not signed in (signing in).</summary>
    public static OperationContext Anonymous() => new(null, AnonymousActorName, NewCorrelationId());

    /// <summary>The signed-in caller of a message.</summary>
    public static OperationContext For(Caller caller) => new(caller.UserId, caller.Email, NewCorrelationId());

    /// <summary>
    /// Makes <paramref name="context"/> the current one until the returned handle is disposed, which restores
    /// the one before it. The change flows into everything awaited inside, not back out to the caller.
    /// </summary>
    public static IDisposable Begin(OperationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var previous = Ambient.Value;
        Ambient.Value = context;
        return new Restore(previous);
    }

    /// <summary>The trace id of the current activity when there is one (so logs and traces line up), else a new id.</summary>
    public static string NewCorrelationId() =>
        Activity.Current is { } activity && activity.TraceId != default
            ? activity.TraceId.ToHexString()
            : Guid.NewGuid().ToString("N");

    private sealed class Restore(OperationContext? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Ambient.Value = previous;
            }
        }
    }
}

namespace UserManagement.Application.Common;

/// <summary>
/// Counts the commands being handled right now, so that a stopping host can wait for them to finish instead of
/// cutting them off (see docs/operations.md, "Stopping"). <see cref="TelemetryBehavior{TMessage,TResponse}"/>
/// enters it for every command; queries change nothing and are not waited for.
/// </summary>
public sealed class CommandsInFlight
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _idle;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Marks one command as running until the returned handle is disposed.</summary>
    public IDisposable Enter()
    {
        lock (_gate)
        {
            _count++;
        }

        return new Exit(this);
    }

    /// <summary>Completes when no command is running; cancelled when <paramref name="cancellationToken"/> is.</summary>
    public Task WaitUntilIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    private void Leave()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            _count--;
            if (_count == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
    }

    private sealed class Exit(CommandsInFlight owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave();
            }
        }
    }
}

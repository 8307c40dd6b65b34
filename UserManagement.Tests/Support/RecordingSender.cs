using System.Collections.Concurrent;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Tests.Support;

/// <summary>
/// The components' <see cref="ISender"/> in component tests: passes every message to the real mediator (real
/// pipeline, real SQLite) and records it, unless the test put an override in place for that message type
/// (to simulate a database outage, a bug, or a result that is hard to produce on cue).
/// </summary>
public sealed class RecordingSender(ISender inner) : ISender
{
    private readonly ConcurrentDictionary<Type, Func<object, object>> _overrides = new();
    private readonly ConcurrentDictionary<Type, Task> _held = new();

    public ConcurrentQueue<object> Sent { get; } = new();

    public IEnumerable<T> SentOf<T>() => Sent.OfType<T>();

    /// <summary>From now on, answers messages of type <typeparamref name="TMessage"/> with <paramref name="respond"/>.</summary>
    public void Override<TMessage>(Func<TMessage, object> respond) =>
        _overrides[typeof(TMessage)] = message => respond((TMessage)message);

    /// <summary>
    /// Answers messages of type <typeparamref name="TMessage"/> as the pipeline does when the database is unreachable:
    /// with <see cref="UnavailableError"/>, an expected failure (<c>DatabaseGonePageTests</c> makes the real one).
    /// </summary>
    public void Unavailable<TMessage>() =>
        Override<TMessage>(message => FailureOf(message!, message is IBaseCommand ? UnavailableError.ForCommand : UnavailableError.ForQuery));

    /// <summary>Makes messages of type <typeparamref name="TMessage"/> throw, as a bug in their handler would.</summary>
    public void Throw<TMessage>() =>
        Override<TMessage>(_ => throw new InvalidOperationException($"A bug in {typeof(TMessage).Name}, on purpose."));

    public void Restore<TMessage>() => _overrides.TryRemove(typeof(TMessage), out _);

    /// <summary>
    /// Holds messages of type <typeparamref name="TMessage"/> until the returned gate is opened, to look at the
    /// screen while a command is in flight. They then go to the real mediator.
    /// </summary>
    public TaskCompletionSource Hold<TMessage>()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held[typeof(TMessage)] = gate.Task;
        return gate;
    }

    public ValueTask<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        Dispatch(request, () => inner.Send(request, cancellationToken));

    public ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default) =>
        Dispatch(command, () => inner.Send(command, cancellationToken));

    public ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default) =>
        Dispatch(query, () => inner.Send(query, cancellationToken));

    public ValueTask<object?> Send(object message, CancellationToken cancellationToken = default) =>
        Dispatch(message, () => inner.Send(message, cancellationToken));

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamQuery<TResponse> query, CancellationToken cancellationToken = default) =>
        inner.CreateStream(query, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        inner.CreateStream(request, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamCommand<TResponse> command, CancellationToken cancellationToken = default) =>
        inner.CreateStream(command, cancellationToken);

    public IAsyncEnumerable<object?> CreateStream(object message, CancellationToken cancellationToken = default) =>
        inner.CreateStream(message, cancellationToken);

    /// <summary>A failed result of the type <paramref name="message"/> answers with.</summary>
    private static object FailureOf(object message, Error error)
    {
        var answer = message.GetType().GetInterfaces()
            .Single(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(ICommand<>) || i.GetGenericTypeDefinition() == typeof(IQuery<>)))
            .GetGenericArguments()[0];
        return answer.GetMethod(nameof(Result.Failure), [typeof(Error)])!.Invoke(null, [error])!;
    }

    private ValueTask<TResponse> Dispatch<TResponse>(object message, Func<ValueTask<TResponse>> send)
    {
        Sent.Enqueue(message);
        if (_overrides.TryGetValue(message.GetType(), out var respond))
        {
            return ValueTask.FromResult((TResponse)respond(message));
        }

        return _held.TryGetValue(message.GetType(), out var gate) ? AfterGate(gate, send) : send();

        static async ValueTask<TResponse> AfterGate(Task gate, Func<ValueTask<TResponse>> send)
        {
            await gate;
            return await send();
        }
    }
}

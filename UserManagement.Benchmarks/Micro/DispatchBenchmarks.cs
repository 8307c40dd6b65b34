using BenchmarkDotNet.Attributes;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace UserManagement.Benchmarks.Micro;

/// <summary>
/// What the mediator library's dispatch costs: sending a query whose handler answers at once, with no pipeline
/// step and singleton lifetime (the mediator and its handlers built once), which is what the target of
/// 10 ns and 0 B is about. This project generates its own mediator (in its own namespace) over this one message.
/// The app's mediator is scoped (one per circuit) and runs three pipeline steps; what a real message costs through
/// them is in the scenario figures (get user by id). The source generator reads the lifetime at compile time, one
/// mediator per project: the scoped figures of the same benchmark are kept in docs/benchmarks.md (ADR 0018).
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    /// <summary>The name of the baseline benchmark, as the report finds it.</summary>
    public const string DirectCall = nameof(CallHandlerDirectly);

    private readonly Ping _ping = new(42);
    private ServiceProvider _services = null!;
    private ISender _sender = null!;
    private Dispatch.Mediator _mediator = null!;
    private PingHandler _handler = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddMediator((MediatorOptions options) =>
        {
            options.Namespace = "UserManagement.Benchmarks.Dispatch";
            options.ServiceLifetime = ServiceLifetime.Singleton;
            options.Assemblies = [typeof(Ping)];
            options.PipelineBehaviors = [];
        });
        _services = services.BuildServiceProvider();
        _sender = _services.GetRequiredService<ISender>();
        _mediator = _services.GetRequiredService<Dispatch.Mediator>();
        _handler = new PingHandler();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>
    /// The handler called directly, no mediator: what a call and its ValueTask cost on this machine, so the
    /// figures above it read as that plus the dispatch.
    /// </summary>
    [Benchmark(Baseline = true)]
    public ValueTask<int> CallHandlerDirectly() => _handler.Handle(_ping, CancellationToken.None);

    /// <summary>Through the generated mediator's own overload for the message (what a typed call compiles to).</summary>
    [Benchmark]
    public ValueTask<int> SendTyped() => _mediator.Send(_ping);

    /// <summary>Through ISender, as the pages call it.</summary>
    [Benchmark]
    public ValueTask<int> SendThroughISender() => _sender.Send(_ping);
}

/// <summary>A query answered at once: only the dispatch is measured.</summary>
public sealed record Ping(int Value) : IQuery<int>;

public sealed class PingHandler : IQueryHandler<Ping, int>
{
    public ValueTask<int> Handle(Ping query, CancellationToken cancellationToken) => new(query.Value);
}

using BenchmarkDotNet.Attributes;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace UserManagement.Benchmarks.Micro;

/// <summary>
/// What the mediator itself costs: sending a query whose handler answers at once, with no pipeline step. This
/// project generates its own mediator (in its own namespace) over this one message, configured like the app's
/// (scoped) except for the pipeline.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private readonly Ping _ping = new(42);
    private ServiceProvider _services = null!;
    private IServiceScope _scope = null!;
    private ISender _scopedSender = null!;
    private Dispatch.Mediator _scopedMediator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddMediator((MediatorOptions options) =>
        {
            options.Namespace = "UserManagement.Benchmarks.Dispatch";
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(Ping)];
            options.PipelineBehaviors = [];
        });
        _services = services.BuildServiceProvider();
        _scope = _services.CreateScope();
        _scopedSender = _scope.ServiceProvider.GetRequiredService<ISender>();
        _scopedMediator = _scope.ServiceProvider.GetRequiredService<Dispatch.Mediator>();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scope.Dispose();
        _services.Dispose();
    }

    /// <summary>Through the generated mediator's own overload for the message (what a typed call compiles to).</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<int> SendTyped() => _scopedMediator.Send(_ping);

    /// <summary>Through ISender, as the pages call it.</summary>
    [Benchmark]
    public ValueTask<int> SendThroughISender() => _scopedSender.Send(_ping);
}

/// <summary>A query answered at once: only the dispatch is measured.</summary>
public sealed record Ping(int Value) : IQuery<int>;

public sealed class PingHandler : IQueryHandler<Ping, int>
{
    public ValueTask<int> Handle(Ping query, CancellationToken cancellationToken) => new(query.Value);
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Operations;

namespace UserManagement.Tests.Operations;

public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly HostSandbox _sandbox = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    [Fact]
    public void Should_register_no_OpenTelemetry_provider_when_no_endpoint_is_configured()
    {
        var host = _sandbox.Start("off.db");

        host.Services.GetService<TracerProvider>().ShouldBeNull();
        host.Services.GetService<MeterProvider>().ShouldBeNull();
    }

    [Fact]
    public async Task Should_export_a_span_and_a_duration_by_outcome_for_each_message_when_an_endpoint_is_configured()
    {
        var spans = new LockedCollection<Activity>();
        var metrics = new LockedCollection<Metric>();
        var host = _sandbox.Start(
            "on.db",
            new Dictionary<string, string> { [Telemetry.EndpointSetting] = "http://127.0.0.1:9" },
            configureServices: services => services
                .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans))
                .ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics)));

        // A sampled trace of this test's own, so spans from tests running beside it are told apart.
        using var test = new Activity("telemetry test") { ActivityTraceFlags = ActivityTraceFlags.Recorded }.Start();
        var created = await HostSandbox.SendAsAdministrator(host, new CreateUserCommand("Traced", "traced@example.com", UserRole.Member));
        var refused = await HostSandbox.SendAsAdministrator(host, new CreateUserCommand("", "not an email", UserRole.Member));
        test.Stop();
        // The flush reports false because nothing listens at the OTLP endpoint; the in-memory exporters got it all.
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        created.IsSuccess.ShouldBeTrue(created.ToString());
        refused.Error.ShouldBeOfType<ValidationError>();
        var ours = spans.Snapshot().Where(s => s.TraceId == test.TraceId).ToList();

        var commands = ours.Where(s => s.Source.Name == AppTelemetry.Name && s.DisplayName == nameof(CreateUserCommand)).ToList();
        commands.Count.ShouldBe(2);
        commands.ShouldContain(s => s.Status == ActivityStatusCode.Unset && s.GetTagItem(AppTelemetry.ErrorTypeTag) == null);
        commands.ShouldContain(s => s.Status == ActivityStatusCode.Error && (string?)s.GetTagItem(AppTelemetry.ErrorTypeTag) == "validation");
        ours.ShouldContain(s => s.Source.Name == AppTelemetry.Name && s.DisplayName == nameof(SignInCommand));
        ours.ShouldContain(
            s => s.Source.Name.Contains("EntityFrameworkCore", StringComparison.Ordinal) && commands.Any(c => c.SpanId == s.ParentSpanId),
            "EF Core's spans sit under the command's span");

        var durations = MetricPoints(metrics, AppTelemetry.MessageDurationName);
        durations.ShouldContain(p => Tag(p, AppTelemetry.MessageTypeTag) == nameof(CreateUserCommand)
            && Tag(p, AppTelemetry.MessageKindTag) == "command" && Tag(p, AppTelemetry.ErrorTypeTag) == null && p.GetHistogramCount() >= 1);
        durations.ShouldContain(p => Tag(p, AppTelemetry.MessageTypeTag) == nameof(CreateUserCommand)
            && Tag(p, AppTelemetry.ErrorTypeTag) == "validation" && p.GetHistogramCount() >= 1);
    }

    [Fact]
    public async Task Should_trace_http_requests_but_not_health_probes()
    {
        var spans = new LockedCollection<Activity>();
        var host = _sandbox.Start(
            "http.db",
            new Dictionary<string, string> { [Telemetry.EndpointSetting] = "http://127.0.0.1:9" },
            configureServices: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        using var client = host.CreateClient();
        var trace = ActivityTraceId.CreateRandom();

        foreach (var path in new[] { "/signin", "/health/ready" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
            request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            response.IsSuccessStatusCode.ShouldBeTrue($"{path}: {response.StatusCode}");
        }

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        var paths = spans.Snapshot().Where(s => s.TraceId == trace && s.Kind == ActivityKind.Server).Select(s => (string?)s.GetTagItem("url.path")).ToList();

        paths.ShouldBe(["/signin"]);
    }

    public static TheoryData<Error, string> Failures => new()
    {
        { ValidationError.ForField("Name", "Name is required."), "validation" },
        { new NotFoundError("gone"), "not_found" },
        { new ConflictError<UserDetails>("changed", null!), "conflict" },
        { new ForbiddenError("no"), "forbidden" },
        { UnavailableError.ForCommand, "unavailable" },
        { new SignInRefusedError(), "sign_in_refused" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Should_name_each_kind_of_failure_in_snake_case(Error error, string kind) =>
        AppTelemetry.KindOf(error).ShouldBe(kind);

    [Fact]
    public async Task Should_give_the_open_circuit_count_to_a_listener_that_attaches_after_the_circuits_opened()
    {
        var host = _sandbox.Start("circuits.db");
        ReadOpenCircuits(host).ShouldBe(0, "the instrument exists before the first circuit: a fresh node reads 0, not nothing");
        var circuits = new List<AsyncServiceScope>();
        for (var i = 0; i < 3; i++)
        {
            var scope = host.Services.CreateAsyncScope();
            circuits.Add(scope);
            await CircuitCounter(scope).OnCircuitOpenedAsync(null!, TestContext.Current.CancellationToken);
        }

        await CircuitCounter(circuits[0]).OnCircuitClosedAsync(null!, TestContext.Current.CancellationToken);

        // Attached only now, as dotnet-counters is during an incident: it must read 2, not the changes since it came.
        ReadOpenCircuits(host).ShouldBe(2);
        foreach (var scope in circuits.Skip(1))
        {
            await CircuitCounter(scope).OnCircuitClosedAsync(null!, TestContext.Current.CancellationToken);
        }

        ReadOpenCircuits(host).ShouldBe(0);
        foreach (var scope in circuits)
        {
            await scope.DisposeAsync();
        }
    }

    private static OpenCircuitsHandler CircuitCounter(AsyncServiceScope circuit) =>
        circuit.ServiceProvider.GetServices<CircuitHandler>().OfType<OpenCircuitsHandler>().Single();

    /// <summary>Reads this host's open-circuit instrument with a listener of its own, as an outside tool would.</summary>
    private static long? ReadOpenCircuits(AppHost host)
    {
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == OpenCircuits.InstrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }

    private static List<MetricPoint> MetricPoints(LockedCollection<Metric> metrics, string name)
    {
        var points = new List<MetricPoint>();
        foreach (var metric in metrics.Snapshot().Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                points.Add(point);
            }
        }

        return points;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}

/// <summary>A list the exporters may add to from their own threads while the test reads it.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count
    {
        get
        {
            lock (_items)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public List<T> Snapshot()
    {
        lock (_items)
        {
            return [.. _items];
        }
    }

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item) => Snapshot().Contains(item);

    public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

    public bool Remove(T item)
    {
        lock (_items)
        {
            return _items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

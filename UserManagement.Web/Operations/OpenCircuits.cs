using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Components.Server.Circuits;
using UserManagement.Application.Common;

namespace UserManagement.Web.Operations;

/// <summary>
/// The circuits this node holds in memory (connected, or kept for a reconnect), as the observable instrument
/// <see cref="InstrumentName"/>. Blazor's own <c>aspnetcore.components.circuit.active</c> is a synchronous
/// up-down counter: a listener that attaches late (dotnet-counters during an incident, the load script after its
/// browsers closed) only sees the changes made after it attached, never the count. This one is read on demand,
/// so any listener gets the true number at once.
/// </summary>
public sealed class OpenCircuits
{
    public const string InstrumentName = "usermanagement.circuits.open";

    private int _count;

    public OpenCircuits(IMeterFactory meters) =>
        meters.Create(AppTelemetry.Name).CreateObservableUpDownCounter(
            InstrumentName, () => Volatile.Read(ref _count), unit: "{circuit}",
            description: "Circuits held in memory by this node, connected or kept for a reconnect.");

    public int Count => Volatile.Read(ref _count);

    internal void Opened() => Interlocked.Increment(ref _count);

    internal void Closed() => Interlocked.Decrement(ref _count);
}

/// <summary>Counts each circuit once in <see cref="OpenCircuits"/>, from its start to its end.</summary>
public sealed class OpenCircuitsHandler(OpenCircuits circuits) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        circuits.Opened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        circuits.Closed();
        return Task.CompletedTask;
    }
}

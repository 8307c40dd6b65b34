using Microsoft.AspNetCore.Components.Server.Circuits;

namespace UserManagement.Web.Live;

/// <summary>This circuit's name in the presence registry (one per circuit: the service is scoped).</summary>
public sealed class CircuitPresence
{
    public string ConnectionId { get; } = Guid.NewGuid().ToString("N");
}

/// <summary>
/// Keeps the presence registry true to the connection: a dropped connection (a lost network, a closed tab not yet
/// collected) hides this circuit's forms at once, a reconnect shows them again, and the circuit's end removes them.
/// </summary>
public sealed class PresenceCircuitHandler(CircuitPresence self, IEditingPresence presence) : CircuitHandler
{
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.SetConnected(self.ConnectionId, connected: false);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.SetConnected(self.ConnectionId, connected: true);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        presence.LeaveAll(self.ConnectionId);
        return Task.CompletedTask;
    }
}

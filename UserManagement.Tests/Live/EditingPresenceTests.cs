using Microsoft.Extensions.Logging.Abstractions;
using UserManagement.Web.Live;

namespace UserManagement.Tests.Live;

/// <summary>Presence follows the circuit: a dropped connection hides it, a reconnect shows it, the circuit's end removes it.</summary>
public sealed class EditingPresenceTests
{
    private static readonly Guid Ada = Guid.CreateVersion7();

    [Fact]
    public async Task Should_hide_a_circuit_whose_connection_dropped_show_it_again_and_remove_it_when_the_circuit_closes()
    {
        var presence = new InProcessEditingPresence(NullLogger<InProcessEditingPresence>.Instance);
        var circuit = new CircuitPresence();
        var handler = new PresenceCircuitHandler(circuit, presence);
        var changes = 0;
        using var watch = presence.Watch(Ada, () =>
        {
            Interlocked.Increment(ref changes);
            return Task.CompletedTask;
        });
        presence.Enter(Ada, new PresentEditor(circuit.ConnectionId, Guid.CreateVersion7(), "ana@example.com"));
        presence.Enter(Ada, new PresentEditor("another circuit", Guid.CreateVersion7(), "ben@example.com"));

        await handler.OnConnectionDownAsync(null!, TestContext.Current.CancellationToken);
        presence.EditorsOf(Ada).Select(e => e.Name).ShouldBe(["ben@example.com"]);

        await handler.OnConnectionUpAsync(null!, TestContext.Current.CancellationToken);
        presence.EditorsOf(Ada).Select(e => e.Name).ShouldBe(["ana@example.com", "ben@example.com"]);

        await handler.OnCircuitClosedAsync(null!, TestContext.Current.CancellationToken);
        presence.EditorsOf(Ada).Select(e => e.Name).ShouldBe(["ben@example.com"]);
        changes.ShouldBe(5);
    }

    [Fact]
    public void Should_enter_once_per_circuit_and_tell_no_one_after_a_watch_is_disposed()
    {
        var presence = new InProcessEditingPresence(NullLogger<InProcessEditingPresence>.Instance);
        var changes = 0;
        var watch = presence.Watch(Ada, () =>
        {
            Interlocked.Increment(ref changes);
            return Task.CompletedTask;
        });
        presence.Enter(Ada, new PresentEditor("c1", null, "ana@example.com"));
        presence.Enter(Ada, new PresentEditor("c1", null, "ana@example.com"));
        presence.EditorsOf(Ada).ShouldHaveSingleItem();

        watch.Dispose();
        presence.Leave(Ada, "c1");

        presence.EditorsOf(Ada).ShouldBeEmpty();
        presence.WatcherCount.ShouldBe(0);
        changes.ShouldBe(2);
    }
}

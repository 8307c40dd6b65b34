namespace UserManagement.Web.Live;

/// <summary>An administrator with a user's edit form open, on one connection (a circuit).</summary>
public sealed record PresentEditor(string ConnectionId, Guid? AdministratorId, string Name);

/// <summary>
/// Who has which user's edit form open right now. Forms enter and leave; a connection that drops is hidden until it
/// comes back, and one that ends leaves everything. The in-process registry knows only this node's circuits: a
/// deployment of several nodes needs a registry shared through the bus or a store (ADR 0016), behind this interface.
/// </summary>
public interface IEditingPresence
{
    void Enter(Guid userId, PresentEditor editor);

    void Leave(Guid userId, string connectionId);

    /// <summary>The connection ended (tab closed, circuit gone): it leaves every form it had open.</summary>
    void LeaveAll(string connectionId);

    /// <summary>The connection dropped (false) or came back (true); a dropped one is not shown.</summary>
    void SetConnected(string connectionId, bool connected);

    /// <summary>The connected editors of <paramref name="userId"/>, in the order they came.</summary>
    IReadOnlyList<PresentEditor> EditorsOf(Guid userId);

    /// <summary>Calls <paramref name="changed"/> whenever the editors of <paramref name="userId"/> change, until disposed.</summary>
    IDisposable Watch(Guid userId, Func<Task> changed);
}

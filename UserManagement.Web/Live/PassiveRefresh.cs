namespace UserManagement.Web.Live;

/// <summary>
/// Marks the messages a page sends because of someone else's change (a live refresh) as not the administrator's
/// own activity: their session confirmation is a re-check that does not move the session's last activity, so an
/// unattended page that colleagues keep changing still idles out (docs/security.md). Flows with the async call.
/// </summary>
public static class PassiveRefresh
{
    private static readonly AsyncLocal<bool> Active = new();

    /// <summary>True inside <see cref="Begin"/>: the message was not sent by the person.</summary>
    public static bool IsActive => Active.Value;

    /// <summary>Until disposed, messages sent from here on are not activity.</summary>
    public static IDisposable Begin()
    {
        var previous = Active.Value;
        Active.Value = true;
        return new Restore(previous);
    }

    private sealed class Restore(bool previous) : IDisposable
    {
        public void Dispose() => Active.Value = previous;
    }
}

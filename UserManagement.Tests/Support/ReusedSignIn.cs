using UserManagement.Application.Common;

namespace UserManagement.Tests.Support;

/// <summary>When a sign-in the test support keeps and reuses across tests has to be made again.</summary>
internal static class ReusedSignIn
{
    /// <summary>
    /// After half of <see cref="Reauthentication.Window"/>: a sign-in counts as a recent re-authentication only
    /// for the window, and a long, loaded run once sent a sensitive change on an older one and met "Confirm it's you".
    /// </summary>
    public static bool IsStale(TimeSpan age) => age >= Reauthentication.Window / 2;
}

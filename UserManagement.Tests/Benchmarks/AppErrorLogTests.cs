using UserManagement.Benchmarks.Browser;

namespace UserManagement.Tests.Benchmarks;

/// <summary>The load run reads the app's console: each error entry echoed whole and counted by its kind.</summary>
public sealed class AppErrorLogTests
{
    [Fact]
    public void Should_echo_an_error_entry_whole_and_count_entries_of_one_kind_together()
    {
        var echo = new StringWriter();
        var log = new AppErrorLog(echo);
        foreach (var (port, circuit) in new[] { (41001, "UrTAWkXLZH0nJyQSJM2ljNWPa7EgIgt7KPRVxOidBxA"), (41002, "QgmPR1OxRgsVF5nW-MdwaOkwyjrAyXXzrdfrwQHBXy0") })
        {
            log.Read("info: Wolverine.Runtime.WolverineRuntime[0]");
            log.Read("      Starting Wolverine messaging");
            log.Read("fail: Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost[111]");
            log.Read($"      Unhandled exception in circuit '{circuit}' at http://127.0.0.1:{port}/users?page=2.");
            log.Read("      System.Threading.Tasks.TaskCanceledException: A task was canceled.");
            log.Read("         at Microsoft.JSInterop.JSRuntime.InvokeAsync[TValue](Int64 targetInstanceId)");
            log.Read("warn: Microsoft.AspNetCore.Server.Kestrel[22]");
            log.Read("      Heartbeat took longer than \"00:00:01\"");
        }

        log.Count.ShouldBe(2);
        log.Kinds(8).ShouldBe(["2× Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost[111] — Unhandled exception in circuit '…' at /users?page=2. — System.Threading.Tasks.TaskCanceledException: A task was canceled."]);
        var echoed = echo.ToString();
        echoed.ShouldContain("  app:          at Microsoft.JSInterop.JSRuntime.InvokeAsync[TValue](Int64 targetInstanceId)");
        echoed.ShouldNotContain("Starting Wolverine messaging");
        echoed.ShouldNotContain("Heartbeat");
    }

    [Fact]
    public void Should_count_a_critical_entry_without_an_exception_and_the_last_entry_of_the_output()
    {
        var log = new AppErrorLog(TextWriter.Null);
        log.Read("crit: UserManagement.Web.Startup[1]");
        log.Read("      The database could not be opened.");
        log.Read("fail: UserManagement.Infrastructure.Bus[2001]");
        log.Read("      The import stopped.");

        log.Count.ShouldBe(2);
        log.Kinds(8).ShouldBe(["1× UserManagement.Web.Startup[1] — The database could not be opened.", "1× UserManagement.Infrastructure.Bus[2001] — The import stopped."], ignoreOrder: true);
    }
}

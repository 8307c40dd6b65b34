using Bunit;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Shared;

namespace UserManagement.Tests.Components.Jobs;

/// <summary>
/// Issue 22, finding 1: a page that refreshes by itself is not the person doing anything. Each such page, held open
/// with no input, must let its session idle out after 30 minutes like any other: its polls are passive refreshes.
/// The pages run with the app's own caller (a real session, judged by <c>CurrentUser</c>) on the fake clocks.
/// </summary>
public sealed class SelfRefreshingPageTests : ComponentTestContext
{
    private const string SessionEnded = AuthorizationBehavior<GetJobQuery, Result<JobDetails>>.SignInRequired;

    /// <summary>The dead letters the jobs page polls come from the bus's store.</summary>
    protected override bool WithBus => true;

    /// <summary>Every page that refreshes by itself, and where it tells the person what went wrong.</summary>
    public static TheoryData<string> SelfRefreshingPages => ["/jobs", "/jobs/{job}"];

    [Theory]
    [MemberData(nameof(SelfRefreshingPages))]
    public async Task Should_let_the_session_idle_out_when_a_page_left_open_keeps_refreshing_by_itself(string page)
    {
        using var circuit = await SignedInCircuit.StartAsync(App, "watcher@example.com");
        App.Caller.ActAsCircuit(circuit.CurrentUser);
        var job = Job.Create(JobKind.UserImport, "people.csv", circuit.User.Id, circuit.User.Email, 1_000, App.Clock.GetUtcNow().UtcDateTime);
        job.Begin(App.Clock.GetUtcNow().UtcDateTime);
        await using (var db = await App.OpenDbAsync())
        {
            db.Jobs.Add(job);
            await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        }

        var cut = Open(page.Replace("{job}", job.Id.ToString(), StringComparison.Ordinal));
        await Condition.WaitUntilAsync(() => Polls() > 0, DefaultWaitTimeout, "the page to load");
        await cut.InvokeAsync(() => { });
        var seen = await circuit.LastSeenAtAsync();

        // Just short of the idle timeout the session is still good: no poll has counted as activity.
        for (var minutes = 1; minutes < UserSession.IdleTimeout.TotalMinutes; minutes++)
        {
            await MinutePassesAsync(cut);
        }

        (await circuit.LastSeenAtAsync()).ShouldBe(seen, "a poll is not the person doing anything");
        (await circuit.IsLiveAsync()).ShouldBeTrue();

        await MinutePassesAsync(cut);
        await MinutePassesAsync(cut);

        (await circuit.IsLiveAsync()).ShouldBeFalse("30 minutes with the page open and nobody using it");
        cut.WaitForAssertion(() => cut.Markup.ShouldContain(SessionEnded));
    }

    [Fact]
    public void Should_know_every_page_that_refreshes_by_itself_and_find_no_timer_outside_the_poller()
    {
        var components = Path.Combine(Repository.Root, "UserManagement.Web", "Components");
        var sources = Directory.EnumerateFiles(components, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(components, f), File.ReadAllText);

        // A page refreshes by itself through the poller (whose ticks are passive) and nothing else: a timer of its own
        // would send as the person. TypingPause waits for a pause in what the person types, which is their activity.
        sources.Where(s => s.Key is not ("Shared/Poller.cs" or "Shared/TypingPause.cs")
                && (s.Value.Contains("CreateTimer(", StringComparison.Ordinal) || s.Value.Contains("PeriodicTimer", StringComparison.Ordinal)
                    || s.Value.Contains("new Timer(", StringComparison.Ordinal) || s.Value.Contains("Task.Delay(", StringComparison.Ordinal)))
            .Select(s => s.Key).ShouldBeEmpty();
        var polling = sources.Where(s => s.Value.Contains("Poller.Start(", StringComparison.Ordinal))
            .Select(s => s.Value.Split('\n')[0].Replace("@page \"", string.Empty, StringComparison.Ordinal).TrimEnd('"', '\r'))
            .Select(route => System.Text.RegularExpressions.Regex.Replace(route, "{[^}]+}", "{job}"))
            .Order().ToList();
        polling.ShouldBe(SelfRefreshingPages.Select(row => row.Data).Order().ToList(), "each page that polls is held open past the idle timeout above");
    }

    /// <summary>A minute passes on both clocks (the page's polls and the app's sessions); the page polls again.</summary>
    private async Task MinutePassesAsync(IRenderedComponent<TestRouter> cut)
    {
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await PolledAsync(cut);
    }

    /// <summary>
    /// Waits until the page sent one more poll than before (or showed that its session ended). The page arms its poll
    /// only once its first load is done, so a step of the clock can come too early: the page's clock then moves on by
    /// a second at a time until it polls (the app's clock, which judges the session, stays where it is).
    /// </summary>
    private async Task PolledAsync(IRenderedComponent<TestRouter> cut)
    {
        var before = Polls();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (Polls() == before && !cut.Markup.Contains(SessionEnded, StringComparison.Ordinal))
        {
            System.Diagnostics.Stopwatch.GetElapsedTime(started).ShouldBeLessThan(DefaultWaitTimeout, "the page must poll by itself");
            try
            {
                await Condition.WaitUntilAsync(() => Polls() > before, TimeSpan.FromMilliseconds(250), "a poll");
            }
            catch (TimeoutException)
            {
                Clock.Advance(Poller.LiveInterval);
            }
        }

        // The poll's answer is on the screen once the renderer is idle again.
        await cut.InvokeAsync(() => { });
    }

    private int Polls() => Sender.Sent.Count(m => m is ListJobsQuery or GetJobQuery);
}

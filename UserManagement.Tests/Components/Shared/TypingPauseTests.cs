using Microsoft.Extensions.Time.Testing;
using UserManagement.Web.Components.Shared;

namespace UserManagement.Tests.Components.Shared;

public sealed class TypingPauseTests
{
    private static readonly TimeSpan Length = TimeSpan.FromMilliseconds(300);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Should_end_after_the_pause_when_nothing_more_was_typed()
    {
        using var pause = new TypingPause(_clock, Length);

        var wait = pause.WaitAsync();
        _clock.Advance(Length - TimeSpan.FromMilliseconds(1));
        wait.IsCompleted.ShouldBeFalse();
        pause.IsWaiting.ShouldBeTrue();
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        (await wait).ShouldBeTrue();
        pause.IsWaiting.ShouldBeFalse();
    }

    [Fact]
    public async Task Should_end_the_older_wait_when_more_is_typed_and_time_the_pause_from_the_newest()
    {
        using var pause = new TypingPause(_clock, Length);

        var first = pause.WaitAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        var second = pause.WaitAsync();

        (await first).ShouldBeFalse();
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        second.IsCompleted.ShouldBeFalse();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        (await second).ShouldBeTrue();
    }

    [Fact]
    public async Task Should_end_a_running_wait_without_success_when_disposed()
    {
        var pause = new TypingPause(_clock, Length);
        var wait = pause.WaitAsync();

        pause.Dispose();

        (await wait).ShouldBeFalse();
        pause.IsWaiting.ShouldBeFalse();
    }
}

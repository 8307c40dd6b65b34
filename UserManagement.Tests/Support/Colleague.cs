using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Tests.Support;

/// <summary>Another administrator, Ana, whose changes a page under test hears of as someone else's (ADR 0016).</summary>
public static class Colleague
{
    public static readonly Caller Ana =
        new(Guid.CreateVersion7(), Guid.CreateVersion7(), "ana@example.com", UserRole.Administrator, MustChangePassword: false);

    /// <summary>Sends <paramref name="command"/> as Ana, as her circuit would, and expects it to succeed.</summary>
    public static async Task SendAsAna<TResult>(this TestApp app, Mediator.ICommand<TResult> command)
        where TResult : IOutcome
    {
        ArgumentNullException.ThrowIfNull(app);
        var before = app.Caller.Caller;
        app.Caller.ActAs(Ana);
        try
        {
            var result = await app.Send(command);
            result.IsSuccess.ShouldBeTrue(result.Error?.ToString());
        }
        finally
        {
            app.Caller.ActAs(before);
        }
    }
}

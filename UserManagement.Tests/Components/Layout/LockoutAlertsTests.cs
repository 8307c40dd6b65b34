using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using UserManagement.Application.Accounts;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Layout;
using UserManagement.Web.Components.Shared;
using UserManagement.Web.Live;
using UserManagement.Web.Security;

namespace UserManagement.Tests.Components.Layout;

/// <summary>Online administrators get a snackbar when an account is locked out (ADR 0016).</summary>
public sealed class LockoutAlertsTests : ComponentTestContext
{
    private const string Password = "a long enough password";

    private IRenderedComponent<MainLayout> RenderLayout() =>
        Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

    private async Task LockOutAsync(string email)
    {
        for (var i = 0; i < SignInCommand.MaxFailedAttempts; i++)
        {
            (await App.Send(new SignInCommand(email, "not the password at all", "203.0.113.9"))).IsSuccess.ShouldBeFalse();
        }
    }

    /// <summary>The page's administrator, on a real session of their own.</summary>
    private async Task<SignedInCircuit> OnlineAdministratorAsync()
    {
        var circuit = await SignedInCircuit.StartAsync(App, "watcher@example.com");
        Authorization.SetAuthorized(circuit.User.Email).SetClaims([.. circuit.Principal.Claims]);
        return circuit;
    }

    [Fact]
    public async Task Should_tell_an_online_administrator_that_an_account_was_locked_out()
    {
        using var circuit = await OnlineAdministratorAsync();
        await App.CreateUserWithPassword("grace@example.com", Password, name: "Grace Hopper");
        var cut = RenderLayout();

        await LockOutAsync("grace@example.com");

        cut.WaitForAssertion(() => cut.FindAll(".mud-snackbar").Select(s => s.TextContent)
            .ShouldContain(t => t.Contains("Grace Hopper (grace@example.com) is locked out until 2026-01-15 09:45 UTC: too many wrong passwords.")));
    }

    [Fact]
    public async Task Should_tell_an_online_administrator_that_the_codes_of_an_account_were_locked_out()
    {
        var (_, secret, _) = await App.CreateUserWithMfa("grace@example.com", Password, name: "Grace Hopper");
        using var circuit = await OnlineAdministratorAsync();
        var cut = RenderLayout();
        var pending = (await App.Send(new SignInCommand("grace@example.com", Password, "203.0.113.9"))).ShouldSucceed();
        var wrong = App.CodeFor(secret) == "000000" ? "111111" : "000000";
        var lockedUntil = DisplayFormat.Timestamp(App.Clock.GetUtcNow().UtcDateTime + SecondFactor.LockoutDuration);

        for (var i = 0; i < SecondFactor.MaxFailedAttempts; i++)
        {
            (await App.Send(new VerifySecondFactorCommand(pending.SessionId, wrong, "203.0.113.9"))).IsSuccess.ShouldBeFalse();
        }

        cut.WaitForAssertion(
            () => cut.FindAll(".mud-snackbar").Select(s => s.TextContent).ShouldContain(t => t.Contains(
                $"Grace Hopper (grace@example.com) cannot use authenticator or recovery codes until {lockedUntil}: too many wrong codes.")),
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Should_tell_no_one_who_is_not_an_administrator_and_leave_no_subscription_behind()
    {
        var broadcast = App.Get<UserChangeBroadcast>();
        await App.CreateUserWithPassword("grace@example.com", Password, name: "Grace Hopper");
        var cut = RenderLayout();
        broadcast.ListenerCount.ShouldBe(0, "this page's user is no administrator");

        await LockOutAsync("grace@example.com");

        cut.FindAll(".mud-snackbar").ShouldBeEmpty();
    }

    // Issue 22, finding 5: an alert names a person and their email; a revoked session's page must hear nothing.
    [Fact]
    public async Task Should_tell_a_page_nothing_once_its_session_was_revoked_and_let_go_of_the_broadcast()
    {
        var broadcast = App.Get<UserChangeBroadcast>();
        using var circuit = await OnlineAdministratorAsync();
        await App.CreateUserWithPassword("grace@example.com", Password, name: "Grace Hopper");
        var cut = RenderLayout();
        broadcast.ListenerCount.ShouldBe(1);

        await App.SendAsAna(new EndUserSessionsCommand(circuit.User.Id));
        await LockOutAsync("grace@example.com");

        cut.FindAll(".mud-snackbar").ShouldBeEmpty();
        broadcast.ListenerCount.ShouldBe(0, "the subscription ended with the session");
    }

    [Fact]
    public async Task Should_let_go_of_the_broadcast_as_soon_as_the_circuit_is_signed_out()
    {
        var broadcast = App.Get<UserChangeBroadcast>();
        using var circuit = await OnlineAdministratorAsync();
        RenderLayout();
        broadcast.ListenerCount.ShouldBe(1);

        Authorization.SetNotAuthorized();

        await Condition.WaitUntilAsync(() => broadcast.ListenerCount == 0, TimeSpan.FromSeconds(10), "the subscription to end");
    }
}

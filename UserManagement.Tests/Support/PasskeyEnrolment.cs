using UserManagement.Application.Accounts;
using UserManagement.Application.Common;
using UserManagement.Application.Passkeys;

namespace UserManagement.Tests.Support;

/// <summary>Passkeys through the real commands, with a <see cref="SoftwareAuthenticator"/> in the browser's place.</summary>
public static class PasskeyEnrolment
{
    /// <summary>The app with passkeys set up for <see cref="SoftwareAuthenticator.Origin"/>, plus <paramref name="settings"/>.</summary>
    public static Task<TestApp> StartWithPasskeysAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = SoftwareAuthenticator.Settings;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        return TestApp.StartAsync(settings: values);
    }

    /// <summary>Signs in with the password and, from now on, sends as that session (confirmed on every message).</summary>
    public static async Task<SignedIn> SignInAndActAs(this TestApp app, string email, string password)
    {
        var signedIn = (await app.Send(new SignInCommand(email, password, "203.0.113.7"))).ShouldSucceed();
        app.Caller.ActAsSession(app.Get<SessionValidator>(), signedIn.SessionId);
        return signedIn;
    }

    /// <summary>Adds the authenticator's passkey for the caller, through both steps.</summary>
    public static async Task<Result<PasskeyItem>> TryRegisterPasskey(this TestApp app, SoftwareAuthenticator authenticator, string name = "Laptop")
    {
        var started = (await app.Send(new StartPasskeyRegistrationCommand())).ShouldSucceed();
        return await app.Send(new RegisterPasskeyCommand(started.ChallengeId, name, authenticator.Register(started.OptionsJson)));
    }

    public static async Task<PasskeyItem> RegisterPasskey(this TestApp app, SoftwareAuthenticator authenticator, string name = "Laptop") =>
        (await app.TryRegisterPasskey(authenticator, name)).ShouldSucceed();

    /// <summary>Signs in with the authenticator's passkey (after <paramref name="email"/>, when given), as the sign-in page would.</summary>
    public static async Task<Result<SignedIn>> SignInWithPasskey(this TestApp app, SoftwareAuthenticator authenticator, string? email = null)
    {
        var started = (await app.Send(new StartPasskeySignInCommand(email))).ShouldSucceed();
        return await app.Send(new SignInWithPasskeyCommand(started.ChallengeId, authenticator.Assert(started.OptionsJson), "203.0.113.9"));
    }
}

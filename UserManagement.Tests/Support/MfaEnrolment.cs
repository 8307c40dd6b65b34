using OtpNet;
using UserManagement.Application.Accounts;
using UserManagement.Application.Users;

namespace UserManagement.Tests.Support;

/// <summary>A user with MFA on, enrolled through the real commands, and the codes their authenticator app shows.</summary>
public static class MfaEnrolment
{
    /// <summary>The code an authenticator app holding <paramref name="secret"/> shows now (RFC 6238, via Otp.NET).</summary>
    public static string CodeFor(this TestApp app, string secret) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(app.Clock.GetUtcNow().UtcDateTime);

    /// <summary>Creates the user, signs them in, turns MFA on and leaves the app acting as them; returns the secret and recovery codes.</summary>
    public static async Task<(UserDetails User, string Secret, IReadOnlyList<string> Codes)> CreateUserWithMfa(
        this TestApp app, string email, string password, UserRole role = UserRole.Administrator, string name = "Signer")
    {
        var user = await app.CreateUserWithPassword(email, password, role, name);
        var session = (await app.Send(new SignInCommand(email, password, "203.0.113.7"))).ShouldSucceed();
        await app.ActAsConfirmedSessionAsync(session.SessionId);
        var enrolment = (await app.Send(new StartMfaEnrolmentQuery())).ShouldSucceed();
        var codes = (await app.Send(new EnableMfaCommand(enrolment.Secret, app.CodeFor(enrolment.Secret)))).ShouldSucceed();
        app.Clock.Advance(TimeSpan.FromSeconds(30)); // the next sign-in's code is a fresh one
        return ((await app.Send(new GetUserQuery(user.Id))).Value, enrolment.Secret, codes);
    }
}

using System.Security.Cryptography;
using Mediator;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using UserManagement.Application.Common;
using UserManagement.Application.Passkeys;
using UserManagement.Web.Components.Account;

namespace UserManagement.Web.Security;

/// <summary>
/// Signing in with a passkey from the static sign-in page (ADR 0027): two small POSTs its script makes, each with
/// the page's antiforgery token and counted by the same per-address limit as the sign-in form. The first issues the
/// challenge and binds it to this browser with a short-lived cookie that Data Protection encrypts and authenticates;
/// the second sends the authenticator's answer, and the session starts through <see cref="SignInWithPasskeyCommand"/>
/// like any other sign-in.
/// </summary>
public static class PasskeySignInEndpoints
{
    public const string OptionsPath = "/signin/passkey/options";
    public const string SignInPath = "/signin/passkey";

    public static IEndpointRouteBuilder MapPasskeySignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(OptionsPath, async (HttpContext context, IAntiforgery antiforgery, ISender sender, OptionsRequest request) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            var started = await sender.Send(new StartPasskeySignInCommand(request.Email), context.RequestAborted);
            if (!started.IsSuccess)
            {
                return Refused(started.Error);
            }

            ChallengeCookie.Set(context, started.Value.ChallengeId);
            return Results.Json(new { options = started.Value.OptionsJson });
        }).AllowAnonymous().RequireRateLimiting(SecurityRegistration.SignInRateLimit);

        endpoints.MapPost(SignInPath, async (HttpContext context, IAntiforgery antiforgery, ISender sender, SignInRequest request) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            // Whatever happens next, this challenge is spent: the cookie goes.
            var challengeId = ChallengeCookie.Take(context);
            var ip = context.Connection.RemoteIpAddress?.ToString();
            var signedIn = await sender.Send(new SignInWithPasskeyCommand(challengeId ?? Guid.Empty, request.Response ?? string.Empty, ip), context.RequestAborted);
            if (!signedIn.IsSuccess)
            {
                return Refused(signedIn.Error);
            }

            await context.SignInAsync(AppClaims.Scheme, AppClaims.For(signedIn.Value));
            var next = LocalUrl.AfterSignIn(signedIn.Value, LocalUrl.OrHome(request.ReturnUrl));
            return Results.Json(new { location = next.StartsWith('/') ? next : "/" + next });
        }).AllowAnonymous().RequireRateLimiting(SecurityRegistration.SignInRateLimit);

        return endpoints;
    }

    private static IResult Refused(Error error) =>
        Results.Json(new { error = error is ValidationError validation ? string.Join(" ", validation.Fields.SelectMany(f => f.Value)) : error.Message },
            statusCode: StatusCodes.Status400BadRequest);

    public sealed record OptionsRequest(string? Email);

    public sealed record SignInRequest(string? Response, string? ReturnUrl);

    /// <summary>
    /// The cookie that names this browser's sign-in challenge: HttpOnly, SameSite=Strict, two minutes, the id
    /// protected (encrypted and authenticated, with an expiry) by the Data Protection key ring, so it cannot be read,
    /// forged or kept past the ceremony; <c>__Host-</c> over HTTPS (<see cref="HostPrefixCookies"/>).
    /// </summary>
    private static class ChallengeCookie
    {
        private const string Purpose = "UserManagement.Passkeys.SignInChallenge.v1";

        public static void Set(HttpContext context, Guid challengeId)
        {
            var protector = Protector(context);
            var value = protector.Protect(challengeId.ToString("N"), PasskeySettings.CeremonyTimeout);
            context.Response.Cookies.Append(HostPrefixCookies.PasskeyChallenge, value, Options(context, PasskeySettings.CeremonyTimeout));
        }

        public static Guid? Take(HttpContext context)
        {
            var value = context.Request.Cookies[HostPrefixCookies.PasskeyChallenge];
            context.Response.Cookies.Delete(HostPrefixCookies.PasskeyChallenge, Options(context, null));
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            try
            {
                return Guid.TryParseExact(Protector(context).Unprotect(value), "N", out var id) ? id : null;
            }
            catch (CryptographicException)
            {
                return null; // tampered with, from another key ring, or expired
            }
        }

        private static ITimeLimitedDataProtector Protector(HttpContext context) =>
            context.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();

        private static CookieOptions Options(HttpContext context, TimeSpan? maxAge) => new()
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = maxAge,
            IsEssential = true,
        };
    }
}

using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Web.Security;

/// <summary>Sign-in, sessions, authorization, rate limiting and the response hardening, in one place.</summary>
public static class SecurityRegistration
{
    public const string SignInRateLimit = "sign-in";

    public static IServiceCollection AddAppSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SecurityOptions>(configuration.GetSection(SecurityOptions.Section));
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentUser, CurrentUser>();
        services.AddScoped<SessionAuthenticationStateProvider>();
        services.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<SessionAuthenticationStateProvider>());
        services.AddCascadingAuthenticationState();

        // ASVS 5 V3.4.1: a year, subdomains included.
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });

        // X-Frame-Options: DENY is set with the other headers; antiforgery would downgrade it to SAMEORIGIN.
        services.AddAntiforgery(options => options.SuppressXFrameOptionsHeader = true);

        services.AddAuthentication(AppClaims.Scheme)
            .AddCookie(AppClaims.Scheme, options =>
            {
                options.Cookie.Name = "um.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/signin";
                options.LogoutPath = "/account/signout";
                options.AccessDeniedPath = "/access-denied";
                options.ReturnUrlParameter = "returnUrl";
                options.ExpireTimeSpan = UserSession.AbsoluteLifetime;
                options.SlidingExpiration = false;
                options.Events = new CookieAuthenticationEvents { OnValidatePrincipal = ValidateSessionAsync };
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(AppClaims.AdministratorPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(AppClaims.CanAdminister, "true"));

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    "Too many sign-in attempts from your network. Wait a minute, then try again.", cancellationToken);
            };
            options.AddPolicy(SignInRateLimit, context =>
            {
                // Only attempts count: showing the sign-in page is free.
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("page");
                }

                var settings = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.SignInPermitLimit,
                        Window = TimeSpan.FromSeconds(settings.SignInWindowSeconds),
                        QueueLimit = 0,
                    });
            });
        });

        return services;
    }

    /// <summary>Every request: the cookie is only as good as the server-side session it names.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessionId = AppClaims.SessionIdOf(context.Principal);
        var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
        var caller = sessionId is null ? null : await sessions.ConfirmAsync(sessionId.Value, context.HttpContext.RequestAborted);
        if (caller is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AppClaims.Scheme);
            return;
        }

        context.ReplacePrincipal(AppClaims.For(caller));
    }

    /// <summary>Security headers on every response, and the Blazor hub closed to other origins.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";

        if (context.Request.Path.StartsWithSegments("/_blazor") && !IsAllowedOrigin(context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        await next(context);
    });

    /// <summary>
    /// A browser always sends Origin on the hub's negotiate and WebSocket requests; another site's page must not
    /// be able to open a circuit with the administrator's cookie.
    /// </summary>
    private static bool IsAllowedOrigin(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        var allowed = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.AllowedOrigins;
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || allowed.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Sign-out is a POST with an antiforgery token (a link could be triggered by another site).
        endpoints.MapPost("/account/signout", async (HttpContext context, Mediator.ISender sender) =>
        {
            await sender.Send(new SignOutCommand());
            await context.SignOutAsync(AppClaims.Scheme);
            return Results.LocalRedirect("/signin?signedOut=true");
        }).RequireAuthorization();
        return endpoints;
    }
}

using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using UserManagement.Application.Accounts;
using UserManagement.Application.Common;

namespace UserManagement.Web.Security;

/// <summary>Sign-in, sessions, authorization, rate limiting and the response hardening, in one place.</summary>
public static class SecurityRegistration
{
    public const string SignInRateLimit = "sign-in";

    /// <summary>Password and code attempts of a signed-in session (changing the password): limited per session.</summary>
    public const string SessionRateLimit = "session";

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
        // Its cookie is Secure over HTTPS and, there, named with the __Host- prefix (HostPrefixCookies).
        services.AddAntiforgery(options =>
        {
            options.SuppressXFrameOptionsHeader = true;
            options.Cookie.Name = HostPrefixCookies.Antiforgery;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });
        services.AddForwardedHeadersFromConfiguration(configuration);

        services.AddAuthentication(AppClaims.Scheme)
            .AddCookie(AppClaims.Scheme, options =>
            {
                options.Cookie.Name = HostPrefixCookies.Session;
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
            })
            .AddCookie(AppClaims.SecondFactorScheme, options =>
            {
                // Between the password and the code: names the waiting session, for five minutes, on /signin only.
                options.Cookie.Name = HostPrefixCookies.SecondFactor;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Cookie.Path = "/";
                options.ExpireTimeSpan = UserSession.SecondFactorTimeout;
                options.SlidingExpiration = false;
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
                    "Too many attempts. Wait a minute, then try again.", cancellationToken);
            };
            options.AddPolicy(SignInRateLimit, context => AttemptLimit(context, $"ip:{context.Connection.RemoteIpAddress}"));

            // A signed-in session guessing its current password (the page also counts it toward the lockout): per
            // session, so a shared address does not hide it and does not share it.
            options.AddPolicy(SessionRateLimit, context => AttemptLimit(
                context, AppClaims.SessionIdOf(context.User) is { } session ? $"session:{session}" : $"ip:{context.Connection.RemoteIpAddress}"));
        });

        return services;
    }

    /// <summary>Only attempts (POSTs) count: showing a form is free.</summary>
    private static RateLimitPartition<string> AttemptLimit(HttpContext context, string partition)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("page");
        }

        var settings = context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        return RateLimitPartition.GetFixedWindowLimiter(
            partition,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.SignInPermitLimit,
                Window = TimeSpan.FromSeconds(settings.SignInWindowSeconds),
                QueueLimit = 0,
            });
    }

    /// <summary>
    /// Honours X-Forwarded-For and X-Forwarded-Proto only from the proxies listed in Security:KnownProxies
    /// (addresses) and Security:KnownNetworks (CIDR): then the rate limits and the security events see the
    /// client's address, and cookies know the request was HTTPS. With none listed, forwarded headers are ignored.
    /// </summary>
    private static void AddForwardedHeadersFromConfiguration(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }

    /// <summary>Forwarded headers, where proxies are configured; first in the pipeline, so everything after sees the client.</summary>
    public static IApplicationBuilder UseConfiguredForwardedHeaders(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
        return settings.KnownProxies.Length + settings.KnownNetworks.Length > 0 ? app.UseForwardedHeaders() : app;
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

    /// <summary>
    /// Security headers on every response, and the Blazor hub closed to other origins. The headers are written as
    /// the response starts, so an error page (the exception handler clears the response) carries them too.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
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
            return Task.CompletedTask;
        });

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
        // Sign-out is a POST with a valid antiforgery token: neither a link nor another page's form can trigger it.
        endpoints.MapPost("/account/signout", async (HttpContext context, IAntiforgery antiforgery, Mediator.ISender sender) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            await sender.Send(new SignOutCommand());
            await context.SignOutAsync(AppClaims.Scheme);
            return Results.LocalRedirect("/signin?signedOut=true");
        }).RequireAuthorization();
        return endpoints;
    }
}

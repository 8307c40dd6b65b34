using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using UserManagement.Application.Audit;
using UserManagement.Web.Security;

namespace UserManagement.Web.Csv;

/// <summary>Marks a CSV download endpoint: what it exports, for the trail.</summary>
public sealed record ExportEndpoint(string What);

/// <summary>
/// A signed-in user whom an export endpoint's policy refuses (a member, an administrator held at a password change)
/// is recorded in the audit trail and logged before the usual answer (the access-denied page): the request never
/// reaches the pipeline, whose refusals are logged (finding 7 of the third outside test). Other refusals keep the
/// default handling only. An anonymous request is sent to sign in, as before, and not recorded.
/// </summary>
public sealed class ExportRefusals(DataExports exports) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden
            && context.GetEndpoint()?.Metadata.GetMetadata<ExportEndpoint>() is { } export
            && Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            await exports.RecordRefusalAsync(
                userId, context.User.Identity?.Name ?? userId.ToString(), export.What, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

public static class ExportEndpoints
{
    /// <summary>Administrators only (the endpoint's policy, then the query's own authorization step); a refusal is recorded.</summary>
    public static RouteHandlerBuilder AsExport(this RouteHandlerBuilder endpoint, string what) =>
        endpoint.RequireAuthorization(AppClaims.AdministratorPolicy).WithMetadata(new ExportEndpoint(what));

    /// <summary>Records the refusals of export endpoints (<see cref="ExportRefusals"/>) in place of the default handling.</summary>
    public static IServiceCollection AddExportRefusals(this IServiceCollection services) =>
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ExportRefusals>();
}

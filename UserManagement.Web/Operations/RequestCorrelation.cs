using System.Diagnostics;

namespace UserManagement.Web.Operations;

/// <summary>
/// Puts <c>CorrelationId</c> (the request's W3C trace id, the one a trace backend shows) into the logging scope
/// of every HTTP request, so every line a request logs can be found together. With the JSON console formatter
/// and <c>IncludeScopes</c> it is a field of each line (docs/operations.md, "Logs").
/// </summary>
public static class RequestCorrelation
{
    public const string ScopeKey = "CorrelationId";

    public static IApplicationBuilder UseRequestCorrelation(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestCorrelation));
        return app.Use(async (context, next) =>
        {
            var correlationId = Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
            using (logger.BeginScope(new Dictionary<string, object> { [ScopeKey] = correlationId }))
            {
                await next(context);
            }
        });
    }
}

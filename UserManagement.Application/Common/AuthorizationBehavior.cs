using Mediator;
using Microsoft.Extensions.Logging;

namespace UserManagement.Application.Common;

/// <summary>
/// Runs before validation: every message needs a signed-in Administrator unless it is marked
/// <see cref="IPublicMessage"/> or <see cref="ISignedInMessage"/>. Pages check too, but a handler must not
/// trust that it was reached through a page. The caller's session is confirmed against the database on every
/// message, so an ended session stops working at once. A message marked <see cref="IRequiresReauthentication"/>
/// also needs a password or code entered within the last five minutes, when the message says it does (the rule is
/// in <see cref="IRequiresReauthentication"/>); this is the one place that enforces it. Once allowed, the message runs in its own
/// <see cref="OperationContext"/>: the confirmed caller is who the audit trail records, and an exception that escapes
/// the message carries its correlation id (<see cref="ErrorCorrelation"/>).
/// </summary>
public sealed partial class AuthorizationBehavior<TMessage, TResponse>(
    ICurrentUser currentUser, AdministrativePower power, TimeProvider clock, ILogger<AuthorizationBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
    where TResponse : IFailable<TResponse>
{
    public const string SignInRequired = "Your session has ended. Sign in again to continue.";
    public const string AdministratorRequired = "Only administrators can do this.";

    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        OperationContext operation;
        if (message is IPublicMessage)
        {
            operation = OperationContext.Anonymous();
        }
        else
        {
            var caller = await currentUser.GetCallerAsync(cancellationToken);
            if (caller is null)
            {
                LogRefused(typeof(TMessage).Name, null, "no valid session");
                return TResponse.Failure(new ForbiddenError(SignInRequired));
            }

            if (message is not ISignedInMessage && !caller.IsAdministrator)
            {
                LogRefused(typeof(TMessage).Name, caller.UserId, "not an administrator");
                return TResponse.Failure(new ForbiddenError(AdministratorRequired));
            }

            // The message is asked only when the caller has not re-authenticated lately: most callers who send a sensitive
            // message just did, and then no look-up is needed.
            if (message is IRequiresReauthentication sensitive && Reauthentication.Check(caller, clock.GetUtcNow().UtcDateTime) is { } reauthenticate
                && await sensitive.RequiresReauthenticationAsync(power, cancellationToken))
            {
                LogRefused(typeof(TMessage).Name, caller.UserId, "re-authentication required");
                return TResponse.Failure(reauthenticate);
            }

            operation = OperationContext.For(caller);
        }

        using var begun = OperationContext.Begin(operation);
        try
        {
            return await next(message, cancellationToken);
        }
        catch (Exception e)
        {
            // Only here is the operation still known: the page that shows this bug shows the id its audit entries carry.
            ErrorCorrelation.Attach(e, operation.CorrelationId);
            throw;
        }
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Refused {Message} for user {UserId}: {Reason}")]
    private partial void LogRefused(string message, Guid? userId, string reason);
}

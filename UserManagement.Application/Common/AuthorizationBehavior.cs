using Mediator;

namespace UserManagement.Application.Common;

/// <summary>
/// Runs before validation: every message needs a signed-in Administrator unless it is marked
/// <see cref="IPublicMessage"/> or <see cref="ISignedInMessage"/>. Pages check too, but a handler must not
/// trust that it was reached through a page. The caller's session is confirmed against the database on every
/// message, so an ended session stops working at once.
/// </summary>
public sealed class AuthorizationBehavior<TMessage, TResponse>(ICurrentUser currentUser)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
    where TResponse : IFailable<TResponse>
{
    public const string SignInRequired = "Your session has ended. Sign in again to continue.";
    public const string AdministratorRequired = "Only administrators can do this.";

    public async ValueTask<TResponse> Handle(
        TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (message is IPublicMessage)
        {
            return await next(message, cancellationToken);
        }

        var caller = await currentUser.GetCallerAsync(cancellationToken);
        if (caller is null)
        {
            return TResponse.Failure(new ForbiddenError(SignInRequired));
        }

        if (message is not ISignedInMessage && !caller.IsAdministrator)
        {
            return TResponse.Failure(new ForbiddenError(AdministratorRequired));
        }

        return await next(message, cancellationToken);
    }
}

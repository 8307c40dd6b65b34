using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

/// <summary>Ends the caller's session on the server, so the cookie stops working even if it is replayed.</summary>
public sealed record SignOutCommand : ICommand<Result>, ISignedInMessage;

public sealed class SignOutCommandValidator : AbstractValidator<SignOutCommand>;

public sealed partial class SignOutCommandHandler(
    IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock, ILogger<SignOutCommandHandler> logger)
    : ICommandHandler<SignOutCommand, Result>
{
    public async ValueTask<Result> Handle(SignOutCommand command, CancellationToken cancellationToken)
    {
        var caller = await currentUser.GetCallerAsync(cancellationToken);
        if (caller is null)
        {
            return Result.Success();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == caller.SessionId, cancellationToken);
        session?.End("signed out", now);
        db.Raise(SecurityEvent.Record(SecurityEventType.SessionEnded, now, "signed out", caller.UserId, caller.Email));
        await db.SaveChangesAsync(cancellationToken);
        LogSignedOut(caller.UserId, caller.SessionId);
        return Result.Success();
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "User {UserId} signed out; session {SessionId} ended")]
    private partial void LogSignedOut(Guid userId, Guid sessionId);
}

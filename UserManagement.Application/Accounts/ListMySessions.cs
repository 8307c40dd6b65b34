using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

/// <summary>One of the caller's own live sessions, as the My sessions page shows it.</summary>
public sealed record MySession(Guid Id, DateTime StartedAt, DateTime LastSeenAt, DateTime ExpiresAt, bool IsCurrent);

/// <summary>The caller's live sessions (ASVS 5.0 7.5.2), most recently active first; this browser's is marked.</summary>
public sealed record ListMySessionsQuery : IQuery<Result<IReadOnlyList<MySession>>>, ISignedInMessage;

public sealed class ListMySessionsQueryValidator : AbstractValidator<ListMySessionsQuery>;

public sealed class ListMySessionsQueryHandler(IAppDbContextFactory dbFactory, ICurrentUser currentUser, TimeProvider clock)
    : IQueryHandler<ListMySessionsQuery, Result<IReadOnlyList<MySession>>>
{
    public async ValueTask<Result<IReadOnlyList<MySession>>> Handle(ListMySessionsQuery query, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == caller.UserId)
            .Where(UserSession.LiveAt(now))
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { Session = s, UserStamp = u.SecurityStamp })
            .Where(x => x.Session.SecurityStamp == x.UserStamp)
            .OrderByDescending(x => x.Session.LastSeenAt).ThenByDescending(x => x.Session.Id)
            .Select(x => new MySession(x.Session.Id, x.Session.CreatedAt, x.Session.LastSeenAt, x.Session.ExpiresAt, x.Session.Id == caller.SessionId))
            .ToListAsync(cancellationToken);
        return sessions;
    }
}

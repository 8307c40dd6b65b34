using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Accounts;

/// <summary>Whether a user has MFA, for the user's page.</summary>
public sealed record UserMfa(Guid Id, bool Enabled, DateTime? EnabledAt, int RecoveryCodesLeft, long Version);

public sealed record GetUserMfaQuery(Guid Id) : IQuery<Result<UserMfa>>;

public sealed class GetUserMfaQueryValidator : AbstractValidator<GetUserMfaQuery>
{
    public GetUserMfaQueryValidator() => RuleFor(c => c.Id).ValidUserId();
}

public sealed class GetUserMfaQueryHandler(IAppDbContextFactory dbFactory) : IQueryHandler<GetUserMfaQuery, Result<UserMfa>>
{
    public async ValueTask<Result<UserMfa>> Handle(GetUserMfaQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Users.AsNoTracking().Where(u => u.Id == query.Id)
            .Select(u => new UserMfa(u.Id, u.MfaEnabledAt != null, u.MfaEnabledAt,
                db.RecoveryCodes.Count(c => c.UserId == u.Id && c.UsedAt == null), u.Version))
            .FirstOrDefaultAsync(cancellationToken);
        return found is null ? UserErrors.NotFound(query.Id) : found;
    }
}

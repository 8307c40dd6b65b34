using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

/// <summary>The caller's MFA as their MFA page shows it.</summary>
public sealed record MyMfa(bool Enabled, DateTime? EnabledAt, int RecoveryCodesLeft, bool Required, DateTime? Deadline);

public sealed record GetMyMfaQuery : IQuery<Result<MyMfa>>, ISignedInMessage;

public sealed class GetMyMfaQueryValidator : AbstractValidator<GetMyMfaQuery>;

public sealed class GetMyMfaQueryHandler(IAppDbContextFactory dbFactory, ICurrentUser currentUser, MfaPolicy policy)
    : IQueryHandler<GetMyMfaQuery, Result<MyMfa>>
{
    public async ValueTask<Result<MyMfa>> Handle(GetMyMfaQuery query, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == caller.UserId)
            .Select(u => new { u.MfaEnabledAt, u.MfaDeadline, u.Role })
            .FirstAsync(cancellationToken);
        var left = await db.RecoveryCodes.CountAsync(c => c.UserId == caller.UserId && c.UsedAt == null, cancellationToken);
        return new MyMfa(user.MfaEnabledAt is not null, user.MfaEnabledAt, left, policy.AppliesTo(user.Role), user.MfaEnabledAt is null ? user.MfaDeadline : null);
    }
}

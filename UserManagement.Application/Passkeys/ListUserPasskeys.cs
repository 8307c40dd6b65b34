using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Passkeys;

/// <summary>A user's passkeys, for their page.</summary>
public sealed record ListUserPasskeysQuery(Guid UserId) : IQuery<Result<IReadOnlyList<PasskeyItem>>>;

public sealed class ListUserPasskeysQueryValidator : AbstractValidator<ListUserPasskeysQuery>
{
    public ListUserPasskeysQueryValidator() => RuleFor(q => q.UserId).ValidUserId();
}

public sealed class ListUserPasskeysQueryHandler(IAppDbContextFactory dbFactory)
    : IQueryHandler<ListUserPasskeysQuery, Result<IReadOnlyList<PasskeyItem>>>
{
    public async ValueTask<Result<IReadOnlyList<PasskeyItem>>> Handle(ListUserPasskeysQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Users.AnyAsync(u => u.Id == query.UserId, cancellationToken))
        {
            return UserErrors.NotFound(query.UserId);
        }

        return Result<IReadOnlyList<PasskeyItem>>.Success(await db.Passkeys.ItemsOfAsync(query.UserId, cancellationToken));
    }
}

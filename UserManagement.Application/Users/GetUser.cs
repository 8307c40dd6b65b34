using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

public sealed record GetUserQuery(Guid Id) : IQuery<Result<UserDetails>>;

public sealed class GetUserQueryValidator : AbstractValidator<GetUserQuery>
{
    public GetUserQueryValidator() => RuleFor(q => q.Id).ValidUserId();
}

public sealed class GetUserQueryHandler(IAppDbContextFactory dbFactory)
    : IQueryHandler<GetUserQuery, Result<UserDetails>>
{
    public async ValueTask<Result<UserDetails>> Handle(GetUserQuery query, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.DetailsByIdAsync(query.Id, cancellationToken);
        return user is null ? UserErrors.NotFound(query.Id) : user;
    }
}

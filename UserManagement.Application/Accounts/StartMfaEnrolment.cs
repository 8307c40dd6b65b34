using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Accounts;

/// <summary>
/// A new authenticator secret for the caller to scan, not stored yet: <see cref="EnableMfaCommand"/> stores it once
/// a code from the app proves the app has it.
/// </summary>
public sealed record StartMfaEnrolmentQuery : IQuery<Result<MfaEnrolment>>, ISignedInMessage;

public sealed class StartMfaEnrolmentQueryValidator : AbstractValidator<StartMfaEnrolmentQuery>;

public sealed class StartMfaEnrolmentQueryHandler(ICurrentUser currentUser)
    : IQueryHandler<StartMfaEnrolmentQuery, Result<MfaEnrolment>>
{
    public async ValueTask<Result<MfaEnrolment>> Handle(StartMfaEnrolmentQuery query, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        return SecondFactor.NewEnrolment(caller.Email);
    }
}

using FluentValidation;
using Mediator;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;

namespace UserManagement.Application.BulkActions;

/// <summary>
/// Accepts a bulk action: stores the selected users with a new job and queues the job for the background worker, in
/// one transaction, and returns the job id once that is stored. Deleting needs a password or code entered in the last
/// five minutes, as deleting one user does; so does disabling or activating a selection that holds an Administrator.
/// </summary>
public sealed record StartBulkUserActionCommand(BulkUserAction Action, BulkSelection Selection) : ICommand<Result<Guid>>, IRequiresReauthentication
{
    public ValueTask<bool> RequiresReauthenticationAsync(AdministrativePower power, CancellationToken cancellationToken) =>
        Action == BulkUserAction.Delete ? ValueTask.FromResult(true)
        : Selection?.UserIds is { } ids ? power.AnyAdministratorAsync(ids, cancellationToken)
        : Selection?.Matching is { } filter ? power.AnyAdministratorAsync(filter, cancellationToken)
        : ValueTask.FromResult(false);
}

public sealed class StartBulkUserActionCommandValidator : AbstractValidator<StartBulkUserActionCommand>
{
    public StartBulkUserActionCommandValidator()
    {
        RuleFor(c => c.Action).IsInEnum().WithMessage("Unknown bulk action.");
        RuleFor(c => c.Selection).NotNull().SetValidator(new BulkSelectionValidator());
    }
}

public sealed class StartBulkUserActionCommandHandler(
    IAppDbContextFactory dbFactory, IUserListReader reader, IBackgroundWork background, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<StartBulkUserActionCommand, Result<Guid>>
{
    public const string NoUsers = "No users match the selection any more.";

    public async ValueTask<Result<Guid>> Handle(StartBulkUserActionCommand command, CancellationToken cancellationToken)
    {
        var caller = await currentUser.GetCallerAsync(cancellationToken)
            ?? throw new InvalidOperationException("The authorization step lets no anonymous caller reach a bulk action.");
        var now = clock.GetUtcNow().UtcDateTime;
        var targets = new List<UserRef>();
        await foreach (var user in BulkTargets.ReadAsync(command.Selection, dbFactory, reader, cancellationToken))
        {
            targets.Add(user.Ref);
        }

        if (targets.Count == 0)
        {
            return ValidationError.ForField(nameof(command.Selection), NoUsers);
        }

        var job = Job.Create(command.Action.JobKind(), command.Action.Title(targets.Count), caller.UserId, caller.Email, targets.Count, now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Jobs.Add(job);
        db.BulkActionItems.AddRange(targets.Select((user, index) => BulkActionItem.Create(job.Id, index + 1, user)));
        await background.SaveChangesAndEnqueueAsync(db, new ApplyBulkUserActionJob(job.Id), cancellationToken);
        return job.Id;
    }
}

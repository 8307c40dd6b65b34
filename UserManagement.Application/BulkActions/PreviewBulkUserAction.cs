using FluentValidation;
using Mediator;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.BulkActions;

/// <summary>
/// What a bulk action would do, for its confirmation: how many users it is for, how many it would change, and
/// which it would leave alone and why. Nothing is written.
/// </summary>
public sealed record PreviewBulkUserActionQuery(BulkUserAction Action, BulkSelection Selection) : IQuery<Result<BulkActionPreview>>;

/// <summary>Users left alone for one reason: how many, and the first few by email.</summary>
public sealed record BulkSkipGroup(string Reason, int Count, IReadOnlyList<string> Examples);

public sealed record BulkActionPreview(BulkUserAction Action, int Count, int ToChange, IReadOnlyList<BulkSkipGroup> Skipped)
{
    public const int ExamplesPerReason = 3;
}

public sealed class PreviewBulkUserActionQueryValidator : AbstractValidator<PreviewBulkUserActionQuery>
{
    public PreviewBulkUserActionQueryValidator()
    {
        RuleFor(q => q.Action).IsInEnum().WithMessage("Unknown bulk action.");
        RuleFor(q => q.Selection).NotNull().SetValidator(new BulkSelectionValidator());
    }
}

public sealed class PreviewBulkUserActionQueryHandler(IAppDbContextFactory dbFactory, IUserListReader reader, ICurrentUser currentUser)
    : IQueryHandler<PreviewBulkUserActionQuery, Result<BulkActionPreview>>
{
    public async ValueTask<Result<BulkActionPreview>> Handle(PreviewBulkUserActionQuery query, CancellationToken cancellationToken)
    {
        var caller = await currentUser.GetCallerAsync(cancellationToken)
            ?? throw new InvalidOperationException("The authorization step lets no anonymous caller reach a bulk action.");
        int administrators;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            administrators = await BulkTargets.ActiveAdministratorsAsync(db, cancellationToken);
        }

        var rules = new BulkActionRules(query.Action, caller.UserId, administrators);
        var count = 0;
        var skipped = new Dictionary<string, (int Count, List<string> Examples)>(StringComparer.Ordinal);
        await foreach (var user in BulkTargets.ReadAsync(query.Selection, dbFactory, reader, cancellationToken))
        {
            count++;
            if (rules.SkipReason(user.Id, user.Role, user.Status) is not { } reason)
            {
                continue;
            }

            var group = skipped.TryGetValue(reason, out var found) ? found : (0, []);
            if (group.Examples.Count < BulkActionPreview.ExamplesPerReason)
            {
                group.Examples.Add(user.Email);
            }

            skipped[reason] = (group.Count + 1, group.Examples);
        }

        var groups = skipped.Select(s => new BulkSkipGroup(s.Key, s.Value.Count, s.Value.Examples)).ToList();
        return new BulkActionPreview(query.Action, count, count - groups.Sum(g => g.Count), groups);
    }
}

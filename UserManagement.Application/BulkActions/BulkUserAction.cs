using FluentValidation;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;

namespace UserManagement.Application.BulkActions;

public enum BulkUserAction
{
    Disable = 0,
    Activate = 1,
    Delete = 2,
}

/// <summary>
/// Which users a bulk action is for: the rows an administrator ticked (<see cref="UserIds"/>), or every user the list
/// shows for a filter (<see cref="Matching"/>). Exactly one of the two.
/// </summary>
public sealed record BulkSelection(IReadOnlyList<Guid>? UserIds = null, UserListFilter? Matching = null)
{
    /// <summary>The most rows that can be ticked: a few pages of the largest page size.</summary>
    public const int MaxUserIds = 1000;

    public static BulkSelection Of(params Guid[] userIds) => new(UserIds: userIds);

    public static BulkSelection AllMatching(UserListFilter filter) => new(Matching: filter);
}

public sealed class BulkSelectionValidator : AbstractValidator<BulkSelection>
{
    public const string NothingSelected = "Select at least one user.";

    public BulkSelectionValidator()
    {
        RuleFor(s => s)
            .Must(s => s.UserIds is null != (s.Matching is null))
            .WithName(nameof(BulkSelection.UserIds))
            .WithMessage("Select either users or a filter, not both.");
        RuleFor(s => s.UserIds!)
            .NotEmpty().WithMessage(NothingSelected)
            .Must(ids => ids.Count <= BulkSelection.MaxUserIds).WithMessage($"Select at most {BulkSelection.MaxUserIds:N0} users, or all matching a filter.")
            .Must(ids => ids.All(id => id != Guid.Empty)).WithMessage("A selected user id is missing.")
            .When(s => s.UserIds is not null);
        RuleFor(s => s.Matching!).SetValidator(new UserListFilterValidator()).When(s => s.Matching is not null);
    }
}

/// <summary>What each action does, in words, and which job kind it runs as.</summary>
public static class BulkUserActions
{
    public const string AlreadyActive = "Already active.";
    public const string AlreadyDisabled = "Already disabled.";
    public const string Gone = "The user no longer exists.";

    public static JobKind JobKind(this BulkUserAction action) => action switch
    {
        BulkUserAction.Disable => Jobs.JobKind.BulkDisable,
        BulkUserAction.Activate => Jobs.JobKind.BulkActivate,
        BulkUserAction.Delete => Jobs.JobKind.BulkDelete,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown bulk action."),
    };

    public static BulkUserAction? FromJobKind(JobKind kind) => kind switch
    {
        Jobs.JobKind.BulkDisable => BulkUserAction.Disable,
        Jobs.JobKind.BulkActivate => BulkUserAction.Activate,
        Jobs.JobKind.BulkDelete => BulkUserAction.Delete,
        _ => null,
    };

    /// <summary>"disable", "activate", "delete".</summary>
    public static string Verb(this BulkUserAction action) => action.ToString().ToLowerInvariant();

    /// <summary>"Disable 3 users".</summary>
    public static string Title(this BulkUserAction action, int count) =>
        $"{action} {(count == 1 ? "1 user" : $"{count:N0} users")}";
}

/// <summary>
/// Decides, user by user in the order they are changed, which selected users a bulk action leaves alone and why:
/// one that needs no change, the administrator who asked (nobody disables or deletes themself), and the last
/// active Administrator. The preview and the worker ask the same rules, so the confirmation says what will happen.
/// </summary>
public sealed class BulkActionRules(BulkUserAction action, Guid requesterId, int activeAdministrators)
{
    private int _activeAdministrators = activeAdministrators;

    /// <summary>Null when the user is to be changed; otherwise why not. Counts the administrators the change takes away.</summary>
    public string? SkipReason(Guid userId, UserRole role, UserStatus status)
    {
        switch (action)
        {
            case BulkUserAction.Activate:
                return status == UserStatus.Active ? BulkUserActions.AlreadyActive : null;
            case BulkUserAction.Disable when status == UserStatus.Disabled:
                return BulkUserActions.AlreadyDisabled;
        }

        if (userId == requesterId)
        {
            return $"You cannot {action.Verb()} your own account.";
        }

        if (role == UserRole.Administrator && status == UserStatus.Active)
        {
            if (_activeAdministrators <= 1)
            {
                return UserGuards.LastAdministrator;
            }

            _activeAdministrators--;
        }

        return null;
    }
}

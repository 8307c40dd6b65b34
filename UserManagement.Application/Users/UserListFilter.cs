using FluentValidation;

namespace UserManagement.Application.Users;

/// <summary>Which users the list shows: its search and filters, without paging.</summary>
public sealed record UserListFilter(string? Search = null, UserRole? Role = null, UserStatus? Status = null);

public sealed class UserListFilterValidator : AbstractValidator<UserListFilter>
{
    public UserListFilterValidator()
    {
        RuleFor(f => f.Search)
            .MaximumLength(ListUsersQuery.SearchMaxLength)
            .WithMessage($"Search must be at most {ListUsersQuery.SearchMaxLength} characters.");
        RuleFor(f => f.Role).IsInEnum().WithMessage("Unknown role filter.");
        RuleFor(f => f.Status).IsInEnum().WithMessage("Unknown status filter.");
    }
}

using FluentValidation;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Users;

/// <summary>The validator rules that several user commands share, so each message is written once.</summary>
public static class UserValidationRules
{
    public const string DuplicateEmailMessage = "Another user already has this email address.";
    public const string UnknownStatusMessage = "Choose a status: Active or Disabled.";

    public static IRuleBuilderOptions<T, string> ValidUserName<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(name => UserRules.NormalizeName(name).Length > 0)
                .WithMessage("Name is required.")
            .Must(name => UserRules.NormalizeName(name).Length <= UserRules.NameMaxLength)
                .WithMessage($"Name must be at most {UserRules.NameMaxLength} characters.")
            .Must(name => !UserRules.HasForbiddenCharacters(UserRules.NormalizeName(name)))
                .WithMessage("Name cannot contain control or text-direction characters.");

    public static IRuleBuilderOptions<T, string> ValidUserEmail<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(email => UserRules.NormalizeEmail(email).Length > 0)
                .WithMessage("Email is required.")
            .Must(email => UserRules.NormalizeEmail(email).Length <= UserRules.EmailMaxLength)
                .WithMessage($"Email must be at most {UserRules.EmailMaxLength} characters.")
            .Must(UserRules.IsValidEmail)
                .WithMessage("Enter a valid email address, such as name@example.com.");

    /// <summary>
    /// Refuses an email another user already has (case-insensitively), ignoring the user being edited.
    /// A look-up races with concurrent writes, so the unique index stays the final authority.
    /// </summary>
    public static IRuleBuilderOptions<T, string> UniqueUserEmail<T>(
        this IRuleBuilder<T, string> rule, IAppDbContextFactory dbFactory, Func<T, Guid?> exceptUserId) =>
        rule.MustAsync(async (message, email, cancellationToken) =>
                !await IsEmailTakenAsync(dbFactory, email, exceptUserId(message), cancellationToken))
            .WithMessage(DuplicateEmailMessage);

    public static IRuleBuilderOptions<T, UserRole> ValidRole<T>(this IRuleBuilder<T, UserRole> rule) =>
        rule.IsInEnum().WithMessage("Choose a role: Administrator or Member.");

    public static IRuleBuilderOptions<T, long> ValidVersion<T>(this IRuleBuilder<T, long> rule) =>
        rule.GreaterThan(0).WithMessage("The version of the record you loaded is missing.");

    public static IRuleBuilderOptions<T, Guid> ValidUserId<T>(this IRuleBuilder<T, Guid> rule) =>
        rule.NotEmpty().WithMessage("The user id is missing.");

    internal static async Task<bool> IsEmailTakenAsync(
        IAppDbContextFactory dbFactory, string email, Guid? exceptUserId, CancellationToken cancellationToken)
    {
        var key = UserRules.EmailKey(email);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.IsEmailTakenAsync(key, exceptUserId, cancellationToken);
    }
}

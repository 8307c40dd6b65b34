using UserManagement.Application.Users;

namespace UserManagement.Web.Components.Pages.Users;

/// <summary>What the user form edits. The validators run on the commands built from it.</summary>
public sealed class UserFormModel
{
    public string Name { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public UserRole Role { get; set; } = UserRole.Member;

    public UserStatus Status { get; set; } = UserStatus.Active;

    public UserFormValues Values => new(Name, Email, Role, Status);

    public static UserFormModel From(UserDetails user) =>
        new() { Name = user.Name, Email = user.Email, Role = user.Role, Status = user.Status };

    public CreateUserCommand ToCreateCommand() => new(Name, Email, Role);

    /// <summary>The update of <paramref name="loaded"/>, from the version the administrator loaded.</summary>
    public UpdateUserCommand ToUpdateCommand(UserDetails loaded) => new(loaded.Id, Name, Email, Role, loaded.Version, Status);

    /// <summary>The current value of a field by its name, as the validators and server errors name it.</summary>
    public object? ValueOf(string field) => field switch
    {
        nameof(Name) => Name,
        nameof(Email) => Email,
        nameof(Role) => Role,
        nameof(Status) => Status,
        _ => null,
    };
}

/// <summary>A snapshot of the form, to tell whether anything changed.</summary>
public sealed record UserFormValues(string Name, string Email, UserRole Role, UserStatus Status)
{
    public static UserFormValues Of(UserDetails user) => new(user.Name, user.Email, user.Role, user.Status);
}

/// <summary>One field on which the administrator's value and the stored one differ after a conflict.</summary>
public sealed record ConflictField(string Field, string Label, string Theirs, string Mine);

/// <summary>Where the user page is: loading the user, showing the form, or unable to.</summary>
public enum EditorState
{
    Loading,
    Ready,
    NotFound,
    LoadFailed,
}

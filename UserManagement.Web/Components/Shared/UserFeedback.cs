using MudBlazor;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Web.Components.Shared;

/// <summary>Turns the outcome of a command into words and a snackbar severity for the administrator.</summary>
public static class UserFeedback
{
    public static string Describe(Error error) => error switch
    {
        ValidationError validation => string.Join(" ", validation.Fields.SelectMany(f => f.Value)),
        _ => error.Message,
    };

    /// <summary>Words for a failed row action on the user named <paramref name="name"/>.</summary>
    public static string DescribeFor(string name, Error error) => error switch
    {
        ConflictError<UserDetails> => $"{name} was changed by someone else, so nothing was done. The list now shows the current values.",
        NotFoundError => $"{name} no longer exists; someone else deleted them. The list has been refreshed.",
        _ => Describe(error),
    };

    public static Severity SeverityOf(Error error) => error switch
    {
        ConflictError<UserDetails> or NotFoundError => Severity.Warning,
        _ => Severity.Error,
    };
}

using System.Globalization;
using Mediator;
using UserManagement.Application.Users;
using UserManagement.Web.Components.Pages.Users;
using UserManagement.Web.Csv;

namespace UserManagement.Web.Users;

/// <summary>
/// GET /users/export.csv with the users list's search, filter and sort parameters: every matching user, every page,
/// in the list's order, streamed as CSV a page at a time (<see cref="ExportUsersQuery"/>). Administrators only: the
/// endpoint's policy, then the query's own authorization step.
/// </summary>
public static class UserExport
{
    public const string Path = "/" + UserListView.ExportPath;

    public static IReadOnlyList<string> Header { get; } =
        ["Name", "Email", "Role", "Status", "Created (UTC)", "Updated (UTC)", "Last sign-in (UTC)", "Locked until (UTC)", "User id"];

    public static IEndpointRouteBuilder MapUserExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, ExportAsync).AsExport("Users list");
        return endpoints;
    }

    public static IReadOnlyList<string?> Cells(UserListItem user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return
        [
            user.Name, user.Email, user.Role.ToString(), user.Status.ToString(), Time(user.CreatedAt), Time(user.UpdatedAt),
            user.LastSignInAt is { } signIn ? Time(signIn) : null, user.LockedUntil is { } locked ? Time(locked) : null, user.Id.ToString(),
        ];
    }

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static async Task ExportAsync(HttpContext context, ISender sender, TimeProvider clock)
    {
        var query = context.Request.Query;
        var view = UserListView.FromQuery(query["search"], query["role"], query["status"], query["sort"], query["desc"], null, null);
        var result = await sender.Send(new ExportUsersQuery(view.Filter, view.Sort, view.Descending), context.RequestAborted);
        await CsvExport.SendAsync(context, result, $"users-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv", Header, Cells);
    }
}

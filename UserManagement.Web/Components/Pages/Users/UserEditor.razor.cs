using MudBlazor;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Web.Components.Shared;

namespace UserManagement.Web.Components.Pages.Users;

/// <summary>
/// The user page's saving: validates the form, sends the create or update, and puts a failure where the
/// administrator is looking (the fields, the conflict view, the deleted-meanwhile notice or a snackbar). The loading
/// and the markup are in <c>UserEditor.razor</c>.
/// </summary>
public partial class UserEditor
{
    private async Task SaveAsync()
    {
        if (_saving || _form is null)
        {
            return;
        }

        _saving = true;
        try
        {
            if (!await _form.ValidateAsync())
            {
                Snackbar.Add("Nothing was saved: some fields need your attention.", Severity.Warning);
                return;
            }

            await (IsNew ? CreateAsync() : UpdateAsync());
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task CreateAsync()
    {
        var result = await Sender.Send(_model.ToCreateCommand());
        if (!result.IsSuccess)
        {
            await ShowErrorAsync(result.Error);
            return;
        }

        Snackbar.Add($"{_model.Name.Trim()} was created.", Severity.Success);
        _baseline = _model.Values;
        Navigation.NavigateTo($"users/{result.Value}");
    }

    /// <summary>
    /// One save, one story: the update, then the user as stored now. When that reload fails the save still landed, so
    /// the page says so, keeps what is on screen as what was saved and takes the save's new version: the next save
    /// then goes on that version instead of conflicting with this one. A bug in either send goes to the error boundary.
    /// </summary>
    private async Task UpdateAsync()
    {
        var saved = await Sender.Send(_model.ToUpdateCommand(_details!));
        if (!saved.IsSuccess)
        {
            await ShowErrorAsync(saved.Error);
            return;
        }

        _historyRevision++;
        var current = await Sender.Send(new GetUserQuery(_details!.Id));
        if (current.IsSuccess)
        {
            ResetTo(current.Value);
            Snackbar.Add("Changes saved.", Severity.Success);
            return;
        }

        _details = _details with { Version = saved.Value };
        _baseline = _model.Values;
        _conflict = null;
        if (current.Error is NotFoundError)
        {
            // Deleted right after this save.
            _deletedMeanwhile = true;
            return;
        }

        Snackbar.Add($"Changes saved. {UserFeedback.Describe(current.Error)}", Severity.Warning);
    }

    /// <summary>Puts a failure where the administrator is looking: on the fields, the conflict view or a snackbar.</summary>
    private async Task ShowErrorAsync(Application.Common.Error error)
    {
        switch (error)
        {
            case ValidationError validation:
                await (_form?.ShowServerErrorsAsync(validation) ?? Task.CompletedTask);
                break;

            case ConflictError<UserDetails> conflict:
                // Their save becomes the base: saving again applies the choices made below to their version.
                _conflict = conflict.Current;
                _details = conflict.Current;
                _baseline = UserFormValues.Of(conflict.Current);
                _historyRevision++;
                Snackbar.Add("Someone else changed this user. Review their changes below.", Severity.Warning);
                break;

            case NotFoundError:
                _deletedMeanwhile = true;
                break;

            default:
                Snackbar.Add(UserFeedback.Describe(error), Severity.Error);
                break;
        }
    }

    private Task TookTheirsAsync(string field) => _form?.ForgetServerErrorAsync(field) ?? Task.CompletedTask;
}

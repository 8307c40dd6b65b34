using Bunit;
using MudBlazor;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;
using UserManagement.Web.Components.Pages.Users;

namespace UserManagement.Tests.Components.Users;

/// <summary>The parts of the user page, each on its own: the form, the conflict view, the sign-in panel, delete.</summary>
public sealed class UserEditorPartsTests : ComponentTestContext
{

    private static UserDetails Ada(long version = 1) =>
        new(Guid.CreateVersion7(), "Ada", "ada@example.com", UserRole.Member, UserStatus.Active, TestApp.Start.UtcDateTime, TestApp.Start.UtcDateTime, version);

    [Fact]
    public async Task Form_should_keep_a_server_error_on_its_field_until_the_value_changes()
    {
        var model = new UserFormModel { Name = "Ada", Email = "ada@example.com" };
        var cut = Render<UserForm>(p => p.Add(f => f.Model, model));

        await cut.InvokeAsync(() => cut.Instance.ShowServerErrorsAsync(ValidationError.ForField("Email", "Taken by someone else.")));
        cut.WaitForAssertion(() => cut.Markup.ShouldContain("Taken by someone else."));
        (await cut.InvokeAsync(() => cut.Instance.ValidateAsync())).ShouldBeFalse();

        model.Email = "ada2@example.com";
        (await cut.InvokeAsync(() => cut.Instance.ValidateAsync())).ShouldBeTrue();
        cut.Markup.ShouldNotContain("Taken by someone else.");
    }

    [Fact]
    public async Task Form_should_forget_the_servers_errors_when_it_gets_a_new_model()
    {
        var cut = Render<UserForm>(p => p.Add(f => f.Model, new UserFormModel { Name = "Ada", Email = "ada@example.com" }));
        await cut.InvokeAsync(() => cut.Instance.ShowServerErrorsAsync(ValidationError.ForField("Name", "No.")));

        cut.Render(p => p.Add(f => f.Model, new UserFormModel { Name = "Ada", Email = "ada@example.com" }));

        (await cut.InvokeAsync(() => cut.Instance.ValidateAsync())).ShouldBeTrue();
    }

    [Fact]
    public async Task Form_should_ask_the_page_to_save_and_show_save_again_in_a_conflict()
    {
        var saves = 0;
        var cut = Render<UserForm>(p => p.Add(f => f.Model, new UserFormModel()).Add(f => f.InConflict, true).Add(f => f.OnSave, () => saves++));

        await cut.Do(c => c.Find("[data-testid=save]").Click());

        saves.ShouldBe(1);
        cut.Find("[data-testid=save]").TextContent.Trim().ShouldBe("Save again");
        cut.FindAll("button").ShouldNotContain(b => b.TextContent.Trim() == "Delete", "a new user has nothing to delete");
    }

    [Fact]
    public async Task Conflict_view_should_list_only_the_fields_that_differ_and_take_theirs_onto_the_form()
    {
        var theirs = Ada() with { Name = "Ada King", Role = UserRole.Administrator };
        var mine = new UserFormModel { Name = " Ada ", Email = "ada@example.com", Role = UserRole.Member };
        var taken = new List<string>();
        var cut = RenderWithProviders<UserConflictView>(p => p.Add(c => c.Theirs, theirs).Add(c => c.Mine, mine).Add(c => c.OnTookTheirs, f => taken.Add(f)));

        cut.FindAll("tr[data-field]").Select(r => r.GetAttribute("data-field")).ShouldBe(["Name", "Role"]);
        cut.Find("tr[data-field=Role] [data-testid=theirs]").TextContent.ShouldBe("Administrator");

        await cut.Do(c => c.FindAll("tr[data-field=Role] button").Single(b => b.TextContent.Trim() == "Take theirs").Click());
        mine.Role.ShouldBe(UserRole.Administrator);
        taken.ShouldBe(["Role"]);

        await cut.Do(c => c.FindAll("tr[data-field=Name] button").Single(b => b.TextContent.Trim() == "Keep mine").Click());
        cut.WaitForAssertion(() => cut.Find(".mud-snackbar").TextContent.ShouldContain("Keeping your name."));
        mine.Name.ShouldBe(" Ada ");
    }

    [Fact]
    public void Conflict_view_should_say_when_nothing_differs_any_more()
    {
        var cut = RenderWithProviders<UserConflictView>(p => p.Add(c => c.Theirs, Ada()).Add(c => c.Mine, UserFormModel.From(Ada())));

        cut.Find("[data-testid=conflict]").TextContent.ShouldContain("Your values now match theirs");
    }

    [Fact]
    public async Task Sign_in_panel_should_unlock_a_locked_user_and_ask_the_page_to_reload_them()
    {
        var user = await App.CreateUserWithPassword("ada@example.com", "a long enough password");
        for (var i = 0; i < Application.Accounts.SignInCommand.MaxFailedAttempts; i++)
        {
            await App.Send(new Application.Accounts.SignInCommand("ada@example.com", "wrong password here", null));
        }

        var locked = (await App.Send(new GetUserQuery(user.Id))).Value;
        var done = new List<bool>();
        var cut = RenderWithProviders<UserSignInPanel>(p => p.Add(s => s.User, locked).Add(s => s.OnDone, changed => done.Add(changed)));

        await cut.ClickButton("Unlock");

        cut.WaitForAssertion(() => done.ShouldBe([true]));
        cut.Find(".mud-snackbar").TextContent.ShouldContain("Signer was unlocked and can sign in again.");
    }

    [Fact]
    public async Task Sign_in_panel_should_end_sessions_after_asking_and_hand_a_stale_version_to_the_page()
    {
        var user = await App.CreateUser("Ada", "ada@example.com");
        var done = new List<bool>();
        var stale = new List<Error>();
        var cut = RenderWithProviders<UserSignInPanel>(p => p.Add(s => s.User, user with { LockedUntil = TestApp.Start.UtcDateTime.AddHours(1), Version = 9 })
            .Add(s => s.OnDone, changed => done.Add(changed)).Add(s => s.OnStale, e => stale.Add(e)));

        await cut.ClickButton("Sign out everywhere");
        await cut.ConfirmDialogAsync();
        cut.WaitForAssertion(() => done.ShouldBe([false]));
        cut.Find(".mud-snackbar").TextContent.ShouldContain("Ended 0 sessions of Ada.");

        await cut.ClickButton("Unlock");
        cut.WaitForAssertion(() => stale.ShouldHaveSingleItem().ShouldBeOfType<ConflictError<UserDetails>>());
    }

    [Fact]
    public void Sign_in_panel_should_say_what_it_could_not_load_when_the_database_is_unreachable()
    {
        Sender.Unavailable<Application.Accounts.GetUserMfaQuery>();
        Sender.Unavailable<Application.Passkeys.ListUserPasskeysQuery>();

        var cut = RenderWithProviders<UserSignInPanel>(p => p.Add(s => s.User, Ada()));

        cut.WaitForAssertion(() => cut.Find("[data-testid=user-mfa]").TextContent
            .ShouldContain($"Two-factor authentication could not be loaded: {UnavailableError.QueryText}"));
        cut.WaitForAssertion(() => cut.Find("[data-testid=user-passkeys]").TextContent
            .ShouldContain($"Passkeys could not be loaded: {UnavailableError.QueryText}"));
        cut.FindAll("button").ShouldNotContain(b => b.TextContent.Trim() == "Reset MFA");
    }

    [Fact]
    public void Sign_in_panel_should_hold_back_password_and_unlock_while_the_form_has_unsaved_changes()
    {
        var cut = RenderWithProviders<UserSignInPanel>(p => p.Add(s => s.User, Ada() with { LockedUntil = TestApp.Start.UtcDateTime.AddHours(1) }).Add(s => s.FormIsDirty, true));

        cut.Button("Set temporary password").HasAttribute("disabled").ShouldBeTrue();
        cut.Button("Unlock").HasAttribute("disabled").ShouldBeTrue();
        cut.Button("Sign out everywhere").HasAttribute("disabled").ShouldBeFalse();
    }

    [Fact]
    public async Task Delete_button_should_delete_after_asking_and_hand_a_stale_version_to_the_page()
    {
        var user = await App.CreateUser("Ada", "ada@example.com");
        var deleted = 0;
        var stale = new List<Error>();
        var cut = RenderWithProviders<UserDeleteButton>(p => p.Add(d => d.User, user with { Version = 5 }).Add(d => d.OnDeleted, () => deleted++).Add(d => d.OnStale, e => stale.Add(e)));

        await cut.Do(c => c.Find("button").Click());
        cut.WaitForAssertion(() => cut.Find("[data-testid=confirm-message]").TextContent.ShouldBe("Delete Ada (ada@example.com)? This cannot be undone."));
        await cut.ConfirmDialogAsync();
        cut.WaitForAssertion(() => stale.ShouldHaveSingleItem().ShouldBeOfType<ConflictError<UserDetails>>());

        cut.Render(p => p.AddChildContent<UserDeleteButton>(d => d.Add(x => x.User, user).Add(x => x.OnDeleted, () => deleted++)));
        await cut.Do(c => c.FindAll("button").First(b => b.TextContent.Trim() == "Delete").Click());
        await cut.ConfirmDialogAsync();
        cut.WaitForAssertion(() => deleted.ShouldBe(1));
        (await App.StoredUsersAsync()).ShouldBeEmpty();
    }
}

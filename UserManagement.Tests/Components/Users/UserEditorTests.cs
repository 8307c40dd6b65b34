using Bunit;
using Microsoft.Extensions.Logging;
using MudBlazor;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Components.Users;

public sealed class UserEditorTests : ComponentTestContext
{
    private IRenderedComponent<TestRouter> OpenNew()
    {
        var cut = Open("/users/new");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("New user"));
        return cut;
    }

    private async Task Type(IRenderedComponent<TestRouter> cut, string label, string text)
    {
        await cut.TypeInto(label, text);
        Wait(400);
    }

    [Fact]
    public void Should_label_every_input()
    {
        var cut = OpenNew();

        cut.Field("Name").TagName.ShouldBe("INPUT");
        cut.Field("Email").GetAttribute("type").ShouldBe("email");
        cut.Find("div[role=combobox]").GetAttribute("aria-label").ShouldBe("Role");
        cut.Button("Save").ShouldNotBeNull();
        cut.Button("Cancel").ShouldNotBeNull();
    }

    [Fact]
    public void Should_ask_the_browser_to_start_a_new_user_at_its_first_field()
    {
        var module = JSInterop.SetupModule("./js/app.js");

        OpenNew();

        module.VerifyInvoke("focusFirstFieldUnlessTyping");
    }

    [Fact]
    public async Task Should_leave_the_focus_alone_when_an_existing_user_opens()
    {
        var module = JSInterop.SetupModule("./js/app.js");
        var ada = await App.CreateUser("Ada", "ada@example.com");

        var cut = Open($"/users/{ada.Id}");

        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        cut.Field("Name").GetAttribute("value").ShouldBe("Ada");
        module.VerifyNotInvoke("focusFirstFieldUnlessTyping");
    }

    [Fact]
    public async Task Should_show_the_validators_messages_as_the_administrator_types()
    {
        var cut = OpenNew();

        await Type(cut, "Email", "not-an-email");
        await Type(cut, "Name", new string('x', 101));

        cut.WaitForAssertion(() => cut.FieldErrors("Email").ShouldBe("Enter a valid email address, such as name@example.com."));
        cut.WaitForAssertion(() => cut.FieldErrors("Name").ShouldBe("Name must be at most 100 characters."));
        Sender.SentOf<CreateUserCommand>().ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_say_why_nothing_was_saved_when_the_form_is_invalid()
    {
        var cut = OpenNew();
        await Type(cut, "Email", "not-an-email");

        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar("Nothing was saved: some fields need your attention.");
        cut.FieldErrors("Name").ShouldBe("Name is required.");
        Sender.SentOf<CreateUserCommand>().ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_say_an_email_is_taken_while_typing()
    {
        await App.CreateUser("Grace", "grace@example.com");
        var cut = OpenNew();

        await Type(cut, "Email", "GRACE@example.com");

        cut.WaitForAssertion(() => cut.FieldErrors("Email").ShouldBe(UserValidationRules.DuplicateEmailMessage));
    }

    [Fact]
    public async Task Should_not_call_the_users_own_email_taken_when_editing()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));

        await Type(cut, "Email", "ADA@example.com");
        await cut.InvokeAsync(() => cut.FindComponent<MudForm>().Instance.ValidateAsync());

        cut.WaitForAssertion(() => cut.FindComponent<MudForm>().Instance.IsValid.ShouldBeTrue());
        cut.FieldErrors("Email").ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_send_the_create_command_confirm_it_and_open_the_new_user()
    {
        var cut = OpenNew();
        await Type(cut, "Name", "  Katherine Johnson ");
        await Type(cut, "Email", "katherine@example.com");

        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar("Katherine Johnson was created.");
        var sent = Sender.SentOf<CreateUserCommand>().ShouldHaveSingleItem();
        sent.ShouldBe(new CreateUserCommand("  Katherine Johnson ", "katherine@example.com", UserRole.Member));
        var stored = (await App.StoredUsersAsync()).ShouldHaveSingleItem();
        Navigation.Uri.ShouldEndWith($"/users/{stored.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Katherine Johnson"));
    }

    [Fact]
    public async Task Should_disable_save_while_a_save_is_in_flight_so_one_user_is_created()
    {
        var gate = Sender.Hold<CreateUserCommand>();
        var cut = OpenNew();
        await Type(cut, "Name", "Twice");
        await Type(cut, "Email", "twice@example.com");

        await cut.ClickButton("Save");

        cut.WaitForAssertion(() => cut.Find("[data-testid=save]").HasAttribute("disabled").ShouldBeTrue());
        cut.Find("[data-testid=save] .mud-progress-circular").ShouldNotBeNull();
        gate.SetResult();

        cut.ShouldShowSnackbar("Twice was created.");
        Sender.SentOf<CreateUserCommand>().Count().ShouldBe(1);
        (await App.StoredUsersAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Should_put_a_field_error_from_the_server_on_that_field()
    {
        // The validator passed, but the unique index refused the email (another admin won the race).
        Sender.Override<CreateUserCommand>(_ => Result<Guid>.Failure(UserErrors.DuplicateEmail()));
        var cut = OpenNew();
        await Type(cut, "Name", "Racer");
        await Type(cut, "Email", "racer@example.com");

        await cut.ClickButton("Save");

        cut.WaitForAssertion(() => cut.FieldErrors("Email").ShouldBe(UserValidationRules.DuplicateEmailMessage));
        cut.FieldErrors("Name").ShouldBeEmpty();
        cut.Field("Email").GetAttribute("value").ShouldBe("racer@example.com");
        (await App.StoredUsersAsync()).ShouldBeEmpty();

        await Type(cut, "Email", "racer2@example.com");
        cut.WaitForAssertion(() => cut.FieldErrors("Email").ShouldBeEmpty());
    }

    [Fact]
    public async Task Should_keep_the_input_and_show_the_database_message_when_it_is_unreachable()
    {
        Sender.Unavailable<CreateUserCommand>();
        var cut = OpenNew();
        await Type(cut, "Name", "Offline");
        await Type(cut, "Email", "offline@example.com");

        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar(UnavailableError.CommandText);
        cut.Field("Name").GetAttribute("value").ShouldBe("Offline");
        cut.Button("Save").HasAttribute("disabled").ShouldBeFalse();
        cut.FindAll("[data-testid=error-boundary]").ShouldBeEmpty();
        Logs.Records.ShouldNotContain(r => r.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Should_save_an_edit_and_show_the_new_updated_time()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        App.Clock.Advance(TimeSpan.FromHours(2));

        await Type(cut, "Name", "Ada King");
        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar("Changes saved.");
        Sender.SentOf<UpdateUserCommand>().ShouldHaveSingleItem()
            .ShouldBe(new UpdateUserCommand(ada.Id, "Ada King", "ada@example.com", UserRole.Member, ada.Version, UserStatus.Active));
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada King"));
        cut.Field("Updated").GetAttribute("value").ShouldBe("2026-01-15 11:30 UTC");
        cut.Field("Created").GetAttribute("value").ShouldBe("2026-01-15 09:30 UTC");
    }

    [Fact]
    public async Task Should_say_saved_and_save_again_without_a_conflict_when_the_reload_after_a_save_fails()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        Sender.Unavailable<GetUserQuery>();

        await Type(cut, "Name", "Ada King");
        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar($"Changes saved. {UnavailableError.QueryText}");
        Sender.Restore<GetUserQuery>();
        await Type(cut, "Name", "Ada Byron");
        await cut.ClickButton("Save");

        // The second save went on the version the first one made: no conflict with the administrator's own save.
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada Byron"));
        cut.FindAll("[data-testid=conflict]").ShouldBeEmpty();
        (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed().Name.ShouldBe("Ada Byron");
    }

    [Fact]
    public async Task Should_say_the_user_was_deleted_meanwhile_when_the_reload_after_a_save_finds_none()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        Sender.Override<GetUserQuery>(_ => Result<UserDetails>.Failure(new NotFoundError("Deleted right after the save.")));

        await Type(cut, "Name", "Ada King");
        await cut.ClickButton("Save");

        cut.WaitForAssertion(() => cut.Find("[data-testid=deleted-meanwhile]").TextContent
            .ShouldContain("Someone else deleted this user while you were editing"));
        cut.Field("Name").GetAttribute("value").ShouldBe("Ada King");
    }

    [Fact]
    public async Task Should_show_their_value_beside_mine_on_a_conflict_and_save_my_choice_on_their_version()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        (await App.Send(new UpdateUserCommand(ada.Id, "Ada (theirs)", "theirs@example.com", UserRole.Member, ada.Version))).ShouldSucceed();

        await Type(cut, "Name", "Ada (mine)");
        await cut.ClickButton("Save");

        cut.WaitForAssertion(() => cut.Find("[data-testid=conflict]").ShouldNotBeNull());
        var name = cut.Find("[data-testid=conflict] tr[data-field=Name]");
        name.QuerySelector("[data-testid=theirs]")!.TextContent.ShouldBe("Ada (theirs)");
        name.QuerySelector("[data-testid=mine]")!.TextContent.ShouldBe("Ada (mine)");
        var email = cut.Find("[data-testid=conflict] tr[data-field=Email]");
        email.QuerySelector("[data-testid=theirs]")!.TextContent.ShouldBe("theirs@example.com");
        email.QuerySelector("[data-testid=mine]")!.TextContent.ShouldBe("ada@example.com");
        (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed().Name.ShouldBe("Ada (theirs)");

        // Keep my name, take their email, save again on their version.
        await cut.Do(c => c.Find("[data-testid=conflict] tr[data-field=Email]").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Take theirs").Click());
        cut.WaitForAssertion(() => cut.Field("Email").GetAttribute("value").ShouldBe("theirs@example.com"));
        await cut.ClickButton("Save again");

        cut.ShouldShowSnackbar("Changes saved.");
        var stored = (await App.Send(new GetUserQuery(ada.Id))).ShouldSucceed();
        stored.Name.ShouldBe("Ada (mine)");
        stored.Email.ShouldBe("theirs@example.com");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=conflict]").ShouldBeEmpty());
    }

    [Fact]
    public async Task Should_say_the_user_was_deleted_meanwhile_and_keep_the_form()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        (await App.Send(new DeleteUserCommand(ada.Id, ada.Version))).ShouldSucceed();

        await Type(cut, "Name", "Ada King");
        await cut.ClickButton("Save");

        cut.WaitForAssertion(() => cut.Find("[data-testid=deleted-meanwhile]").TextContent
            .ShouldContain("Someone else deleted this user while you were editing"));
        cut.Field("Name").GetAttribute("value").ShouldBe("Ada King");
        (await App.StoredUsersAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("0199a1b2-0000-7000-8000-000000000001")]
    public void Should_show_user_not_found_for_an_unknown_or_malformed_id(string id)
    {
        var cut = Open($"/users/{id}");

        cut.WaitForAssertion(() => cut.Find("[data-testid=user-not-found] h1").TextContent.ShouldBe("User not found"));
        cut.Find("[data-testid=user-not-found] a").GetAttribute("href").ShouldBe("users");
    }

    [Fact]
    public async Task Should_delete_from_the_form_after_confirming_and_go_back_to_the_list()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));

        await cut.ClickButton("Delete");
        cut.WaitForAssertion(() => cut.Find("[data-testid=confirm-message]").TextContent.ShouldContain("Delete Ada (ada@example.com)?"));
        await cut.ConfirmDialogAsync();

        cut.WaitForAssertion(() => Navigation.Uri.ShouldEndWith("/users"));
        (await App.StoredUsersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_ask_before_leaving_with_unsaved_changes_and_stay_when_told_to()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        await Type(cut, "Name", "Ada with unsaved changes");

        await cut.ClickButton("Cancel");

        cut.WaitForAssertion(() => cut.Find("[data-testid=confirm-message]").TextContent.ShouldContain("You have unsaved changes"));
        await cut.Do(c => c.Find(".mud-dialog").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click());
        cut.WaitForAssertion(() => cut.FindAll(".mud-dialog").ShouldBeEmpty());
        Navigation.Uri.ShouldEndWith($"/users/{ada.Id}");
        cut.Field("Name").GetAttribute("value").ShouldBe("Ada with unsaved changes");

        await cut.ClickButton("Cancel");
        await cut.ConfirmDialogAsync();

        // The router renders the list once the navigation the dialog allowed is announced (ADR 0019).
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Users"));
        Navigation.Uri.ShouldEndWith("/users");
    }

    [Fact]
    public async Task Should_set_a_temporary_password_from_the_dialog_after_the_policy_accepts_it()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));

        await cut.ClickButton("Set temporary password");
        cut.WaitForElement(".mud-dialog");
        await cut.Do(c => c.Field("Temporary password").Input("too short"));
        WaitUntil(cut, 300, () => cut.FieldErrors("Temporary password").ShouldBe(Application.Accounts.PasswordRules.TooShort));
        await cut.Do(c => c.Field("Temporary password").Input("a fine temporary phrase"));
        WaitUntil(cut, 300, () => cut.FieldErrors("Temporary password").ShouldBeEmpty());
        await cut.ConfirmDialogAsync();

        cut.ShouldShowSnackbar("Temporary password set. Ada must change it at the next sign-in");
        cut.WaitForAssertion(() => cut.Find("[data-testid=sign-in-section]").TextContent.ShouldContain("Must choose a new password at the next sign-in."));
        (await App.Send(new Application.Accounts.SignInCommand("ada@example.com", "a fine temporary phrase", null))).ShouldSucceed()
            .MustChangePassword.ShouldBeTrue();
    }

    [Fact]
    public async Task Should_offer_unlock_for_a_locked_user_and_unlock_them()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", "the right passphrase");
        for (var i = 0; i < Application.Accounts.SignInCommand.MaxFailedAttempts; i++)
        {
            await App.Send(new Application.Accounts.SignInCommand("ada@example.com", "wrong", null));
        }

        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Field("Locked until").GetAttribute("value").ShouldBe("2026-01-15 09:45 UTC"));

        await cut.ClickButton("Unlock");

        cut.ShouldShowSnackbar("Signer was unlocked and can sign in again.");
        cut.WaitForAssertion(() => cut.Field("Locked until").GetAttribute("value").ShouldBe("Not locked"));
        cut.FindAll("button").ShouldNotContain(b => b.TextContent.Trim() == "Unlock");
    }

    [Fact]
    public async Task Should_show_a_forbidden_action_in_a_snackbar_and_keep_the_form()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com", UserRole.Administrator);
        App.Caller.ActAs(ada);
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));

        await cut.ClickButton("Delete");
        await cut.ConfirmDialogAsync();

        cut.ShouldShowSnackbar("You cannot delete your own account.");
        Navigation.Uri.ShouldEndWith($"/users/{ada.Id}");
        (await App.StoredUsersAsync()).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Should_sign_a_user_out_everywhere_after_confirming()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", "the right passphrase");
        var session = (await App.Send(new Application.Accounts.SignInCommand("ada@example.com", "the right passphrase", null))).ShouldSucceed();
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Signer"));

        await cut.ClickButton("Sign out everywhere");
        cut.WaitForAssertion(() => cut.Find("[data-testid=confirm-message]").TextContent.ShouldContain("End every session of Signer?"));
        await cut.ConfirmDialogAsync();

        cut.ShouldShowSnackbar("Ended 1 session of Signer.");
        (await App.Get<Application.Accounts.SessionValidator>().ConfirmAsync(session.SessionId, Xunit.TestContext.Current.CancellationToken)).ShouldBeNull();
    }

    [Fact]
    public async Task Should_save_what_was_typed_even_when_save_comes_before_the_typing_debounce()
    {
        var cut = OpenNew();

        // No pause between typing and Save: the fields' debounce timers have not fired yet. As in a browser, each
        // field loses the focus when the next control is clicked.
        await cut.Do(c => c.Field("Name").Input("Quick Typist"));
        await cut.Do(c => c.Field("Name").Blur());
        await cut.Do(c => c.Field("Email").Input("quick@example.com"));
        await cut.Do(c => c.Field("Email").Blur());
        await cut.ClickButton("Save");

        cut.ShouldShowSnackbar("Quick Typist was created.");
        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Email.ShouldBe("quick@example.com");
    }

    [Fact]
    public async Task Should_set_the_temporary_password_that_was_typed_even_when_confirm_comes_before_the_debounce()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("h1").TextContent.ShouldBe("Ada"));
        await cut.ClickButton("Set temporary password");
        cut.WaitForElement(".mud-dialog");

        // No pause between typing and confirming: the field's debounce timer has not fired yet. As in a browser,
        // the click takes the focus off the field first.
        await cut.Do(c => c.Field("Temporary password").Input("typed and confirmed at once"));
        await cut.Do(c => c.Field("Temporary password").Blur());
        await cut.ConfirmDialogAsync();

        cut.ShouldShowSnackbar("Temporary password set.");
        (await App.Send(new Application.Accounts.SignInCommand("ada@example.com", "typed and confirmed at once", null))).ShouldSucceed();
    }

    [Fact]
    public async Task Should_say_until_when_a_temporary_password_works_and_warn_once_it_expired()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        (await App.Send(new Application.Accounts.SetTemporaryPasswordCommand(ada.Id, "temporary pass phrase", ada.Version))).ShouldSucceed();

        var cut = Open($"/users/{ada.Id}");
        cut.WaitForAssertion(() => cut.Find("[data-testid=temporary-password]").TextContent
            .ShouldContain("The temporary password works until 2026-01-18 09:30 UTC."));

        Clock.Advance(UserRules.TemporaryPasswordLifetime);
        await cut.InvokeAsync(() => Navigation.NavigateTo("/users"));
        await cut.InvokeAsync(() => Navigation.NavigateTo($"/users/{ada.Id}"));
        cut.WaitForAssertion(() => cut.Find("[data-testid=temporary-password]").TextContent.Trim()
            .ShouldBe("The temporary password expired 2026-01-18 09:30 UTC. Set a new one so they can sign in."));
    }
}

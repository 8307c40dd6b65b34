using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.EndToEnd;

/// <summary>An administrator's journeys through the real app in a real Chromium.</summary>
public sealed partial class UserJourneyTests(BrowserFixture browser) : BrowserTests(browser)
{
    private static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    private static ILocator Button(IPage page, string name) =>
        page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static ILocator Row(IPage page, string text) => page.GetByRole(AriaRole.Row).Filter(new() { HasText = text });

    private static Task ExpectSnackbar(IPage page, string text) =>
        Assertions.Expect(page.Locator(".mud-snackbar").Filter(new() { HasText = text })).ToBeVisibleAsync();

    private static async Task Choose(IPage page, string label, string option)
    {
        await page.GetByRole(AriaRole.Combobox, new() { Name = label }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Listbox)).ToBeHiddenAsync();
    }

    /// <summary>
    /// Runs a search or filter change and waits until the grid it rebuilds has replaced the old one, so the next
    /// click lands on the new grid rather than on the old one on its way out.
    /// </summary>
    private static async Task InNewGrid(IPage page, Func<Task> change)
    {
        var before = await page.Locator("table").ElementHandleAsync();
        await change();
        await before!.WaitForElementStateAsync(ElementState.Hidden);
        await Assertions.Expect(page.Locator("table")).ToBeVisibleAsync();
    }

    private async Task<Guid> Arrange(string name, string email)
    {
        var created = await Browser.SendAsync(new CreateUserCommand(name, email, UserRole.Member));
        return created.ShouldSucceed();
    }

    [Fact]
    public async Task Should_create_find_edit_disable_and_delete_a_user()
    {
        var taken = $"taken-{Tag}@example.com";
        await Arrange($"Taken {Tag}", taken);
        var page = await Open("/users");

        // Create, after a bad email is refused on its field.
        await page.GetByRole(AriaRole.Link, new() { Name = "New user", Exact = true }).Last.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users/new$"));
        await Assertions.Expect(Field(page, "Name")).ToBeFocusedAsync();
        await Field(page, "Name").FillAsync($"Ada {Tag}");
        await Field(page, "Email").FillAsync("ada-at-example.com");
        await Assertions.Expect(page.GetByText("Enter a valid email address, such as name@example.com.")).ToBeVisibleAsync();
        await Field(page, "Email").FillAsync(taken.ToUpperInvariant());
        await Assertions.Expect(page.GetByText(UserValidationRules.DuplicateEmailMessage)).ToBeVisibleAsync();
        await Field(page, "Email").FillAsync($"ada-{Tag}@example.com");
        await Choose(page, "Role", "Administrator");
        await Button(page, "Save").ClickAsync();
        await ExpectSnackbar(page, $"Ada {Tag} was created.");
        await Assertions.Expect(page).ToHaveURLAsync(IdUrl());

        // Find by search.
        await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).First.ClickAsync();
        await InNewGrid(page, () => Field(page, "Search").FillAsync(Tag.ToUpperInvariant()));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"search={Tag.ToUpperInvariant()}"));
        await Assertions.Expect(Row(page, $"Ada {Tag}")).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, $"Ada {Tag}")).ToContainTextAsync("Administrator");

        // Edit.
        await Row(page, $"Ada {Tag}").GetByRole(AriaRole.Link, new() { Name = $"Ada {Tag}", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Ada {Tag}" })).ToBeVisibleAsync();
        await Field(page, "Name").FillAsync($"Ada King {Tag}");
        await Button(page, "Save").ClickAsync();
        await ExpectSnackbar(page, "Changes saved.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Ada King {Tag}" })).ToBeVisibleAsync();

        // Disable from the list: Back to the search, then Back to the whole list. The row is in both grids, so
        // wait for the second one: a click on the grid being replaced would be lost with it.
        await page.GoBackAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"search={Tag.ToUpperInvariant()}"));
        await Assertions.Expect(Row(page, $"Ada King {Tag}")).ToHaveCountAsync(1);
        await InNewGrid(page, () => page.GoBackAsync());
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("search="));
        await Assertions.Expect(Field(page, "Search")).ToBeEmptyAsync();
        await Assertions.Expect(Row(page, $"Ada King {Tag}")).ToHaveCountAsync(1);
        await Row(page, $"Ada King {Tag}").GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await ExpectSnackbar(page, $"Ada King {Tag} was disabled.");
        await Assertions.Expect(Row(page, $"Ada King {Tag}")).ToContainTextAsync("Disabled");

        // Delete after confirming.
        await Row(page, $"Ada King {Tag}").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync($"Delete Ada King {Tag} (ada-{Tag}@example.com)?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await ExpectSnackbar(page, $"Ada King {Tag} was deleted.");
        await Assertions.Expect(Row(page, $"Ada King {Tag}")).ToHaveCountAsync(0);

        var remaining = await Browser.SendAsync(new ListUsersQuery(Search: $"ada-{Tag}"));
        remaining.ShouldSucceed().TotalCount.ShouldBe(0);
    }

    [Fact]
    public async Task Should_show_the_conflict_view_to_the_second_of_two_administrators_saving_the_same_user()
    {
        var id = await Arrange($"Shared {Tag}", $"shared-{Tag}@example.com");
        var first = await Open($"/users/{id}");
        var second = await Open($"/users/{id}");

        await Field(first, "Name").FillAsync($"First's name {Tag}");
        await Button(first, "Save").ClickAsync();
        await ExpectSnackbar(first, "Changes saved.");

        await Field(second, "Name").FillAsync($"Second's name {Tag}");
        await Button(second, "Save").ClickAsync();

        var conflict = second.GetByTestId("conflict");
        await Assertions.Expect(conflict).ToBeVisibleAsync();
        var nameRow = conflict.Locator("tr[data-field=Name]");
        await Assertions.Expect(nameRow.GetByTestId("theirs")).ToHaveTextAsync($"First's name {Tag}");
        await Assertions.Expect(nameRow.GetByTestId("mine")).ToHaveTextAsync($"Second's name {Tag}");
        (await Browser.SendAsync(new GetUserQuery(id))).ShouldSucceed().Name.ShouldBe($"First's name {Tag}");

        await nameRow.GetByRole(AriaRole.Button, new() { Name = "Keep mine" }).ClickAsync();
        await Button(second, "Save again").ClickAsync();
        await ExpectSnackbar(second, "Changes saved.");
        (await Browser.SendAsync(new GetUserQuery(id))).ShouldSucceed().Name.ShouldBe($"Second's name {Tag}");
    }

    [Fact]
    public async Task Should_restore_search_filter_sort_and_page_size_after_a_reload()
    {
        for (var i = 0; i < 12; i++)
        {
            await Arrange($"Reload {Tag} {i:00}", $"reload-{i:00}-{Tag}@example.com");
        }

        var page = await Open("/users");
        await InNewGrid(page, () => Field(page, "Search").FillAsync($"reload {Tag}"));
        await Assertions.Expect(Row(page, $"Reload {Tag} 11")).ToHaveCountAsync(1);
        await InNewGrid(page, () => Choose(page, "Status", "Active"));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"search=reload(%20|\\+){Tag}.*status=Active"));
        var emailHeader = page.GetByRole(AriaRole.Columnheader, new() { Name = "Email" });
        await emailHeader.Locator(".sortable-column-header").ClickAsync();
        await Assertions.Expect(emailHeader).ToHaveAttributeAsync("aria-sort", "ascending");
        await emailHeader.Locator(".sortable-column-header").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("desc=true"));
        await page.Locator(".mud-table-pagination-select").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "10", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("size=10"));
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Reload {Tag}" })).ToHaveCountAsync(10);

        await page.ReloadAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        var rows = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Reload {Tag}" });
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        await Assertions.Expect(rows.First).ToContainTextAsync($"Reload {Tag} 11");
        await Assertions.Expect(Field(page, "Search")).ToHaveValueAsync($"reload {Tag}");
        await Assertions.Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Status" })).ToContainTextAsync("Active");
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Email" })).ToHaveAttributeAsync("aria-sort", "descending");
        await Assertions.Expect(page.GetByTestId("total-count")).ToHaveTextAsync("12 users");
    }

    [Fact]
    public async Task Should_create_exactly_one_user_on_a_double_click_of_save()
    {
        var page = await Open("/users/new");
        await Field(page, "Name").FillAsync($"Double {Tag}");
        await Field(page, "Email").FillAsync($"double-{Tag}@example.com");

        await Button(page, "Save").DblClickAsync();

        await ExpectSnackbar(page, $"Double {Tag} was created.");
        (await Browser.SendAsync(new ListUsersQuery(Search: $"double-{Tag}"))).ShouldSucceed().TotalCount.ShouldBe(1);
    }

    [Fact]
    public async Task Should_start_a_new_user_at_the_name_field_without_taking_the_focus_from_a_field()
    {
        var page = await Open("/users");
        await page.GetByRole(AriaRole.Link, new() { Name = "New user", Exact = true }).Last.ClickAsync();

        await Assertions.Expect(Field(page, "Name")).ToBeFocusedAsync();

        // The form's focus call can reach the browser late, on a slow circuit. Made again with the focus on a
        // button, it moves the focus to Name; made with the focus in Email, it leaves it there.
        const string focusAgain = "form => import('/js/app.js').then(m => m.focusFirstFieldUnlessTyping(form.parentElement))";
        await Button(page, "Cancel").FocusAsync();
        await page.Locator("form.mud-form").EvaluateAsync(focusAgain);
        await Assertions.Expect(Field(page, "Name")).ToBeFocusedAsync();
        await Field(page, "Email").FocusAsync();
        await page.Locator("form.mud-form").EvaluateAsync(focusAgain);
        await Assertions.Expect(Field(page, "Email")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Should_hide_a_row_tooltip_on_escape_until_the_pointer_moves_to_another()
    {
        await Arrange($"Tip {Tag}", $"tip-{Tag}@example.com");
        var page = await Open($"/users?search={Tag}");
        var open = Row(page, $"Tip {Tag}").Locator(".row-tip[data-tip='Open']");
        var delete = Row(page, $"Tip {Tag}").Locator(".row-tip[data-tip='Delete']");
        // Fails unless the tip reaches that state within the page's timeout (a CSS tooltip is no element to expect).
        static async Task TipShouldBeShown(ILocator tip, bool shown) => await tip.Page.WaitForFunctionAsync(
            "([tip, shown]) => (getComputedStyle(tip, '::after').display !== 'none') === shown",
            new object[] { await tip.ElementHandleAsync(), shown });

        await open.HoverAsync();
        await TipShouldBeShown(open, shown: true);

        await page.Keyboard.PressAsync("Escape");
        await TipShouldBeShown(open, shown: false);

        await delete.HoverAsync();
        await TipShouldBeShown(delete, shown: true);
        await open.HoverAsync();
        await TipShouldBeShown(open, shown: true);
    }

    [Fact]
    public async Task Should_create_edit_and_delete_with_the_keyboard_alone()
    {
        var page = await Open("/users/new");
        await Field(page, "Name").FocusAsync();
        await page.Keyboard.TypeAsync($"Keys {Tag}");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync($"keys-{Tag}@example.com");
        await FocusByTab(page, Button(page, "Save"));
        await page.Keyboard.PressAsync("Enter");
        await ExpectSnackbar(page, $"Keys {Tag} was created.");
        await Assertions.Expect(page).ToHaveURLAsync(IdUrl());

        await Field(page, "Name").FocusAsync();
        await page.Keyboard.PressAsync("End");
        await page.Keyboard.TypeAsync(" Jr");
        await FocusByTab(page, Button(page, "Save"));
        await page.Keyboard.PressAsync("Enter");
        await ExpectSnackbar(page, "Changes saved.");

        await FocusByTab(page, Button(page, "Delete"));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync($"Delete Keys {Tag} Jr");
        await FocusByTab(page, page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }));
        await page.Keyboard.PressAsync("Enter");
        await ExpectSnackbar(page, $"Keys {Tag} Jr was deleted.");
        (await Browser.SendAsync(new ListUsersQuery(Search: $"keys-{Tag}"))).ShouldSucceed().TotalCount.ShouldBe(0);
    }

    [Fact]
    public async Task Should_fit_a_phone_screen_and_still_open_a_user()
    {
        var id = await Arrange($"Phone {Tag}", $"phone-{Tag}@example.com");
        var page = await Open($"/users?search=phone-{Tag}", width: 390, height: 844);

        await Assertions.Expect(Row(page, $"Phone {Tag}")).ToHaveCountAsync(1);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        overflow.ShouldBeLessThanOrEqualTo(0, "the page must not scroll sideways on a phone; only the grid may");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".mud-drawer")).Not.ToBeInViewportAsync();

        await Row(page, $"Phone {Tag}").GetByRole(AriaRole.Link, new() { Name = $"Phone {Tag}", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/users/{id}$"));
        await Assertions.Expect(Field(page, "Name")).ToHaveValueAsync($"Phone {Tag}");
    }

    [Fact]
    public async Task Should_remember_dark_mode_in_this_browser()
    {
        var page = await Open("/users");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark mode" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();

        await page.ReloadAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light mode" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Should_say_user_not_found_for_an_unknown_id()
    {
        var page = await Open($"/users/{Guid.CreateVersion7()}");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "User not found" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to users" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/users$"));
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus, as a keyboard user would.</summary>
    [GeneratedRegex("/users/[0-9a-f-]{36}$")]
    private static partial Regex IdUrl();
}

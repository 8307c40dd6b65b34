using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

public abstract class CreateUserTests(DatabaseProvider provider) : AppTests(provider)
{
    [Fact]
    public async Task Should_store_an_active_user_with_trimmed_values_when_the_command_is_valid()
    {
        var id = (await App.Send(new CreateUserCommand("  Grace Hopper ", " Grace@Example.com  ", UserRole.Administrator)))
            .ShouldSucceed();

        var stored = (await App.StoredUsersAsync()).ShouldHaveSingleItem();
        stored.Id.ShouldBe(id);
        stored.Id.Version.ShouldBe(7);
        stored.Name.ShouldBe("Grace Hopper");
        stored.NormalizedName.ShouldBe("GRACE HOPPER");
        stored.Email.ShouldBe("Grace@Example.com");
        stored.NormalizedEmail.ShouldBe("GRACE@EXAMPLE.COM");
        stored.Role.ShouldBe(UserRole.Administrator);
        stored.Status.ShouldBe(UserStatus.Active);
        stored.CreatedAt.ShouldBe(TestApp.Start.UtcDateTime);
        stored.CreatedAt.Kind.ShouldBe(DateTimeKind.Utc);
        stored.UpdatedAt.ShouldBe(stored.CreatedAt);
        stored.Version.ShouldBe(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Should_refuse_on_name_when_the_name_is_blank(string name)
    {
        var messages = (await App.Send(new CreateUserCommand(name, "a@example.com", UserRole.Member)))
            .ShouldFailOnField(nameof(CreateUserCommand.Name));

        messages.ShouldBe(["Name is required."]);
        (await App.StoredUsersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Should_refuse_on_name_when_the_name_is_longer_than_100_characters()
    {
        var messages = (await App.Send(new CreateUserCommand(new string('n', 101), "a@example.com", UserRole.Member)))
            .ShouldFailOnField(nameof(CreateUserCommand.Name));

        messages.ShouldBe(["Name must be at most 100 characters."]);
    }

    [Fact]
    public async Task Should_accept_a_name_of_exactly_100_characters_after_trimming()
    {
        var name = new string('n', 100);

        (await App.Send(new CreateUserCommand($"  {name}  ", "a@example.com", UserRole.Member))).ShouldSucceed();

        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Name.ShouldBe(name);
    }

    [Theory]
    [InlineData("Eve\u0000Null")]
    [InlineData("Eve\nNewline")]
    [InlineData("Eve\u001bEscape")]
    [InlineData("Eve\u202Egnp.exe")]
    [InlineData("Eve\u2066isolate")]
    public async Task Should_refuse_on_name_when_the_name_holds_control_or_direction_characters(string name)
    {
        var messages = (await App.Send(new CreateUserCommand(name, "a@example.com", UserRole.Member)))
            .ShouldFailOnField(nameof(CreateUserCommand.Name));

        messages.ShouldBe(["Name cannot contain control or text-direction characters."]);
        (await App.StoredUsersAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("", "Email is required.")]
    [InlineData("not-an-email", "Enter a valid email address, such as name@example.com.")]
    [InlineData("a@b", "Enter a valid email address, such as name@example.com.")]
    [InlineData("a@@example.com", "Enter a valid email address, such as name@example.com.")]
    [InlineData("a b@example.com", "Enter a valid email address, such as name@example.com.")]
    [InlineData(".a@example.com", "Enter a valid email address, such as name@example.com.")]
    [InlineData("a..b@example.com", "Enter a valid email address, such as name@example.com.")]
    [InlineData("Ada <ada@example.com>", "Enter a valid email address, such as name@example.com.")]
    public async Task Should_refuse_on_email_when_the_email_is_not_a_valid_address(string email, string expected)
    {
        var messages = (await App.Send(new CreateUserCommand("Ada", email, UserRole.Member)))
            .ShouldFailOnField(nameof(CreateUserCommand.Email));

        messages.ShouldBe([expected]);
    }

    [Fact]
    public async Task Should_refuse_on_email_when_the_email_is_longer_than_254_characters()
    {
        var email = $"{new string('a', 64)}@{new string('d', 63)}.{new string('e', 63)}.{new string('f', 63)}.com";
        email.Length.ShouldBe(260);

        var messages = (await App.Send(new CreateUserCommand("Ada", email, UserRole.Member)))
            .ShouldFailOnField(nameof(CreateUserCommand.Email));

        messages.ShouldBe(["Email must be at most 254 characters."]);
    }

    [Fact]
    public async Task Should_accept_an_email_of_exactly_254_characters()
    {
        var email = $"{new string('a', 64)}@{new string('d', 63)}.{new string('e', 63)}.{new string('f', 57)}.com";
        email.Length.ShouldBe(254);

        (await App.Send(new CreateUserCommand("Ada", email, UserRole.Member))).ShouldSucceed();
    }

    [Fact]
    public async Task Should_refuse_on_role_when_the_role_is_unknown()
    {
        var messages = (await App.Send(new CreateUserCommand("Ada", "ada@example.com", (UserRole)42)))
            .ShouldFailOnField(nameof(CreateUserCommand.Role));

        messages.ShouldBe(["Choose a role: Administrator or Member."]);
    }

    [Fact]
    public async Task Should_report_every_failing_field_at_once_when_several_are_wrong()
    {
        var result = await App.Send(new CreateUserCommand("", "nope", (UserRole)42));

        var error = result.ShouldFailWith<Application.Common.ValidationError, Guid>();
        error.Fields.Keys.Order().ShouldBe(["Email", "Name", "Role"]);
    }

    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("ADA@EXAMPLE.COM")]
    [InlineData("  Ada@Example.Com ")]
    public async Task Should_refuse_on_email_when_another_user_has_it_in_any_case(string email)
    {
        await App.CreateUser(email: "ada@example.com");

        var messages = (await App.Send(new CreateUserCommand("Another Ada", email, UserRole.Member)))
            .ShouldFailOnField(nameof(CreateUserCommand.Email));

        messages.ShouldBe([UserValidationRules.DuplicateEmailMessage]);
        (await App.StoredUsersAsync()).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("Ada Lovelace\r\n")]
    [InlineData("\tAda Lovelace\v\f")]
    public async Task Should_trim_whitespace_control_characters_around_a_name_as_the_entity_does(string name)
    {
        // Found by the hostile-input property test: the validator refused what the entity would have trimmed away.
        var id = (await App.Send(new CreateUserCommand(name, "trimmed@example.com", UserRole.Member))).ShouldSucceed();

        (await App.Send(new GetUserQuery(id))).ShouldSucceed().Name.ShouldBe("Ada Lovelace");
    }

    [Fact]
    public async Task Should_store_exactly_one_user_when_creates_of_the_same_email_race()
    {
        string[] emails = ["A@x.com", "a@X.COM", "a@x.com", "A@X.COM", "a@X.com", "A@x.COM", "a@x.Com", "A@X.cOm"];

        var results = await Task.WhenAll(emails.Select(email =>
            Task.Run(() => App.SendFromNewScope(new CreateUserCommand("Racer", email, UserRole.Member)))));

        results.Count(r => r.IsSuccess).ShouldBe(1);
        foreach (var failure in results.Where(r => !r.IsSuccess))
        {
            failure.ShouldFailOnField(nameof(CreateUserCommand.Email))
                .ShouldBe([UserValidationRules.DuplicateEmailMessage]);
        }

        (await App.StoredUsersAsync()).ShouldHaveSingleItem().NormalizedEmail.ShouldBe("A@X.COM");
    }

    [Fact]
    public async Task Should_turn_a_unique_index_violation_into_the_email_field_error_when_the_validator_was_raced()
    {
        // The validator's look-up passes (no such user yet); a row slipped in underneath it is caught by the index.
        var handler = new CreateUserCommandHandler(
            App.Services.GetRequiredService<Application.Common.IAppDbContextFactory>(), App.Clock);
        await App.CreateUser(email: "race@example.com");

        var result = await handler.Handle(new CreateUserCommand("Late", "RACE@example.com", UserRole.Member), TestContext.Current.CancellationToken);

        result.ShouldFailOnField(nameof(CreateUserCommand.Email)).ShouldBe([UserValidationRules.DuplicateEmailMessage]);
        (await App.StoredUsersAsync()).Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("Robert'); DROP TABLE Users;--")]
    [InlineData("<script>alert('x')</script> & \"quotes\"")]
    [InlineData("O'Brien %_ \\ [brackets]")]
    [InlineData("Zoë Åström 李小龍 👩‍💻")]
    [InlineData("مرحبا עברית")]
    public async Task Should_store_the_name_byte_exact_when_it_holds_sql_html_or_unicode_characters(string name)
    {
        var id = (await App.Send(new CreateUserCommand(name, "meta@example.com", UserRole.Member))).ShouldSucceed();

        var stored = (await App.Send(new GetUserQuery(id))).ShouldSucceed();
        stored.Name.ShouldBe(name);
        (await App.StoredUsersAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Should_store_an_email_with_sql_and_html_metacharacters_byte_exact()
    {
        const string Email = "o'brien+{tag}&x=1%_@example.com";

        var id = (await App.Send(new CreateUserCommand("O'Brien", Email, UserRole.Member))).ShouldSucceed();

        (await App.Send(new GetUserQuery(id))).ShouldSucceed().Email.ShouldBe(Email);
    }

    public sealed class OnSqlite() : CreateUserTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : CreateUserTests(DatabaseProvider.PostgreSQL);
}

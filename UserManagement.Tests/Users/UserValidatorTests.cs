using FluentValidation.TestHelper;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

/// <summary>Edge cases and hostile input for the user validators, checked rule by rule.</summary>
public abstract class UserValidatorTests(DatabaseProvider provider) : AppTests(provider)
{
    private CreateUserCommandValidator _create = null!;
    private UpdateUserCommandValidator _update = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var dbFactory = App.Services.GetRequiredService<Application.Common.IAppDbContextFactory>();
        _create = new CreateUserCommandValidator(dbFactory);
        _update = new UpdateUserCommandValidator(dbFactory);
    }

    private static CreateUserCommand Valid => new("Ada Lovelace", "ada@example.com", UserRole.Member);

    private Task<TestValidationResult<CreateUserCommand>> Validate(CreateUserCommand command) =>
        _create.TestValidateAsync(command, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Should_pass_a_valid_command()
    {
        (await Validate(Valid)).ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public async Task Should_refuse_a_10000_character_name_with_the_length_message()
    {
        (await Validate(Valid with { Name = new string('x', 10_000) }))
            .ShouldHaveValidationErrorFor(c => c.Name)
            .WithErrorMessage("Name must be at most 100 characters.")
            .Only();
    }

    [Fact]
    public async Task Should_refuse_a_10000_character_email_with_the_length_message_only()
    {
        var result = await Validate(Valid with { Email = new string('x', 9_988) + "@example.com" });

        result.ShouldHaveValidationErrorFor(c => c.Email)
            .WithErrorMessage("Email must be at most 254 characters.")
            .Only();
    }

    [Theory]
    [InlineData("\u0007Bell")]
    [InlineData("Tab\tName")]
    [InlineData("Carriage\rReturn")]
    [InlineData("Del\u007F")]
    [InlineData("C1\u0085control")]
    [InlineData("Left\u202Aembedding")]
    [InlineData("Right\u202Boverride")]
    [InlineData("Pop\u202Cformat")]
    [InlineData("abc\u202Dxyz")]
    [InlineData("\u202Etxt.exe")]
    [InlineData("First\u2067isolate")]
    [InlineData("Pop\u2069isolate")]
    public void Should_refuse_control_direction_and_broken_surrogate_characters_in_a_name(string name)
    {
        UserRules.HasForbiddenCharacters(name).ShouldBeTrue();
        UserRules.IsValidName(name).ShouldBeFalse();
    }

    [Fact]
    public void Should_refuse_a_name_with_a_broken_surrogate_pair()
    {
        // Built at run time: a lone surrogate does not survive being written into test data attributes.
        string[] broken = ["Broken" + '\uD800' + "surrogate", '\uDC00' + "lonely low", "ends high" + '\uD83D'];

        broken.ShouldAllBe(name => UserRules.HasForbiddenCharacters(name));
        UserRules.HasForbiddenCharacters("pair \uD83D\uDE00 is fine").ShouldBeFalse();
    }

    [Theory]
    [InlineData("\u202Etxt.exe")]
    [InlineData("Null\0byte")]
    public async Task Should_report_forbidden_characters_in_a_name_on_the_name_field(string name)
    {
        (await Validate(Valid with { Name = name }))
            .ShouldHaveValidationErrorFor(c => c.Name)
            .WithErrorMessage("Name cannot contain control or text-direction characters.")
            .Only();
    }

    [Theory]
    [InlineData("Zoë")]
    [InlineData("李小龍")]
    [InlineData("👩‍💻 Dev")]
    [InlineData("عبد الله")]
    [InlineData("Robert'); DROP TABLE Users;--")]
    [InlineData("<img src=x onerror=alert(1)>")]
    public async Task Should_accept_unicode_sql_and_html_metacharacters_in_a_name(string name)
    {
        (await Validate(Valid with { Name = name })).ShouldNotHaveAnyValidationErrors();
    }

    [Theory]
    [InlineData("ada@example.com\u202E")]
    [InlineData("ada\u0000@example.com")]
    [InlineData("ada@exa\nmple.com")]
    [InlineData("\"ada\"@example.com")]
    [InlineData("ada@example.com'; DROP TABLE Users;--")]
    [InlineData("<script>@example.com")]
    [InlineData("ada@-example.com")]
    [InlineData("ada@example-.com")]
    [InlineData("ada@example..com")]
    [InlineData("ada.@example.com")]
    [InlineData("adá@example.com")]
    public async Task Should_refuse_hostile_or_malformed_emails(string email)
    {
        (await Validate(Valid with { Email = email }))
            .ShouldHaveValidationErrorFor(c => c.Email)
            .WithErrorMessage("Enter a valid email address, such as name@example.com.")
            .Only();
    }

    [Theory]
    [InlineData("ada+tag@example.com")]
    [InlineData("o'brien@example.co.uk")]
    [InlineData("first.last@sub.example.org")]
    [InlineData("x@a-b.io")]
    public async Task Should_accept_ordinary_addresses(string email)
    {
        (await Validate(Valid with { Email = email })).ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public async Task Should_refuse_a_local_part_longer_than_64_characters()
    {
        (await Validate(Valid with { Email = new string('a', 65) + "@example.com" }))
            .ShouldHaveValidationErrorFor(c => c.Email);
        (await Validate(Valid with { Email = new string('a', 64) + "@example.com" }))
            .ShouldNotHaveAnyValidationErrors();
    }

    [Fact]
    public async Task Should_not_query_uniqueness_when_the_email_is_already_invalid()
    {
        // Cascade stops at the first failing rule, so a malformed email gets one message, not two.
        await App.CreateUser(email: "dup@example.com");

        (await Validate(Valid with { Email = new string('d', 300) }))
            .ShouldHaveValidationErrorFor(c => c.Email)
            .WithErrorMessage("Email must be at most 254 characters.")
            .Only();
    }

    [Fact]
    public async Task Should_ignore_the_users_own_record_when_checking_uniqueness_on_update()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        await App.CreateUser("Grace", "grace@example.com");
        var command = new UpdateUserCommand(ada.Id, ada.Name, "ADA@EXAMPLE.COM", ada.Role, ada.Version);

        (await _update.TestValidateAsync(command, cancellationToken: TestContext.Current.CancellationToken))
            .ShouldNotHaveAnyValidationErrors();
        (await _update.TestValidateAsync(command with { Email = "grace@EXAMPLE.com" }, cancellationToken: TestContext.Current.CancellationToken))
            .ShouldHaveValidationErrorFor(c => c.Email)
            .WithErrorMessage(UserValidationRules.DuplicateEmailMessage);
    }

    public sealed class OnSqlite() : UserValidatorTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : UserValidatorTests(DatabaseProvider.PostgreSQL);
}

using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.PostgreSql;

/// <summary>
/// On PostgreSQL the unique index on the normalized email is the final authority too (ADR 0031, D3): its violation
/// (SQLSTATE 23505, named by the index) becomes the same field error as on SQLite.
/// </summary>
public sealed class UniqueEmailTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(provider: DatabaseProvider.PostgreSQL);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Should_turn_the_unique_index_violation_into_the_email_field_error_when_the_validator_was_raced()
    {
        // Past the validator's look-up (the handler alone), so only the index can refuse.
        var handler = new CreateUserCommandHandler(_app.Services.GetRequiredService<IAppDbContextFactory>(), _app.Clock);
        await _app.CreateUser(email: "race@example.com");

        var result = await handler.Handle(new CreateUserCommand("Late", "RACE@example.com", UserRole.Member), TestContext.Current.CancellationToken);

        result.ShouldFailOnField(nameof(CreateUserCommand.Email)).ShouldBe([UserValidationRules.DuplicateEmailMessage]);
        (await _app.StoredUsersAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Should_store_exactly_one_user_when_creates_of_the_same_email_in_different_cases_race()
    {
        string[] emails = ["A@x.com", "a@X.COM", "a@x.com", "A@X.COM", "a@X.com", "A@x.COM", "a@x.Com", "A@X.cOm"];

        var results = await Task.WhenAll(emails.Select(email =>
            Task.Run(() => _app.SendFromNewScope(new CreateUserCommand("Racer", email, UserRole.Member)))));

        results.Count(r => r.IsSuccess).ShouldBe(1);
        foreach (var failure in results.Where(r => !r.IsSuccess))
        {
            failure.ShouldFailOnField(nameof(CreateUserCommand.Email)).ShouldBe([UserValidationRules.DuplicateEmailMessage]);
        }

        (await _app.StoredUsersAsync()).ShouldHaveSingleItem().NormalizedEmail.ShouldBe("A@X.COM");
    }
}

using System.Collections.Concurrent;
using CsCheck;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>
/// Issue 11, fault 5, at the handlers, property-based (CsCheck): whatever arrives, the pipeline answers with a
/// result and never an exception; what it refuses it refuses with a message on the field; what it stores comes
/// back exactly as sent (trimmed, as the rules say). The page side is in <see cref="HostileInputPageTests"/>.
/// In CI (CI is set) every run draws the same inputs, so the suite stays deterministic; elsewhere each run draws
/// new ones and a failure prints the seed that reproduces it (CsCheck_Seed=...).
/// </summary>
public abstract class HostileInputTests(DatabaseProvider provider) : AppTests(provider)
{
    private const int Iterations = 150;

    private static readonly string? Seed = Environment.GetEnvironmentVariable("CI") is null ? null : "4ZajtDNt6M62";

    private static readonly string[] UserFields =
        [nameof(UpdateUserCommand.Id), nameof(UpdateUserCommand.Name), nameof(UpdateUserCommand.Email), nameof(UpdateUserCommand.Role),
            nameof(UpdateUserCommand.Status), nameof(UpdateUserCommand.Version)];

    private static void ShouldBeFieldMessages(ValidationError error)
    {
        error.Fields.ShouldNotBeEmpty();
        error.Fields.Keys.ShouldAllBe(field => UserFields.Contains(field));
        error.Fields.Values.ShouldAllBe(messages => messages.Length > 0 && messages.All(m => !string.IsNullOrWhiteSpace(m)));
    }

    [Fact]
    public async Task Should_store_a_created_user_exactly_or_refuse_it_with_field_messages_whatever_is_sent()
    {
        var taken = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        await Gen.Select(HostileInput.Text, HostileInput.Email, HostileInput.AnyOf<UserRole>()).SampleAsync(
            async (name, email, role) =>
            {
                var expectValid = UserRules.IsValidName(name) && UserRules.IsValidEmail(email) && Enum.IsDefined(role)
                    && !taken.ContainsKey(UserRules.EmailKey(email));

                var result = await App.SendFromNewScope(new CreateUserCommand(name, email, role));

                result.IsSuccess.ShouldBe(expectValid, result.ToString());
                if (result.IsSuccess)
                {
                    taken[UserRules.EmailKey(email)] = true;
                    var stored = (await App.Send(new GetUserQuery(result.Value))).ShouldSucceed();
                    stored.Name.ShouldBe(name.Trim());
                    stored.Email.ShouldBe(email.Trim());
                    stored.Role.ShouldBe(role);
                    return;
                }

                var error = result.Error.ShouldBeOfType<ValidationError>();
                ShouldBeFieldMessages(error);
                if (name.Trim().Length > UserRules.NameMaxLength)
                {
                    error.MessagesFor(nameof(CreateUserCommand.Name)).ShouldBe([$"Name must be at most {UserRules.NameMaxLength} characters."]);
                }

                if (email.Trim().Length > UserRules.EmailMaxLength)
                {
                    error.MessagesFor(nameof(CreateUserCommand.Email)).ShouldBe([$"Email must be at most {UserRules.EmailMaxLength} characters."]);
                }
            },
            seed: Seed,
            iter: Iterations,
            threads: 1,
            print: t => $"name {HostileInput.Show(t.Item1)}, email {HostileInput.Show(t.Item2)}, role {(int)t.Item3}");

        (await App.StoredUsersAsync()).Count.ShouldBe(taken.Count);
    }

    [Fact]
    public async Task Should_answer_every_edit_with_a_result_and_change_only_what_a_valid_edit_names()
    {
        var existing = await App.CreateUser("Existing", "existing@example.com");
        var ids = Gen.Frequency((2, Gen.Const(existing.Id)), (1, HostileInput.Id));

        await Gen.Select(ids, HostileInput.Text, HostileInput.Email, HostileInput.AnyOf<UserRole>(), HostileInput.Version).SampleAsync(
            async (id, name, email, role, version) =>
            {
                var before = await App.Send(new GetUserQuery(existing.Id));
                var command = new UpdateUserCommand(id, name, email, role, version == 1 ? before.Value.Version : version);

                var result = await App.SendFromNewScope(command);

                var after = (await App.Send(new GetUserQuery(existing.Id))).ShouldSucceed();
                switch (result.Error)
                {
                    case null:
                        id.ShouldBe(existing.Id);
                        (after.Name, after.Email, after.Role).ShouldBe((name.Trim(), email.Trim(), role));
                        break;
                    case ValidationError validation:
                        ShouldBeFieldMessages(validation);
                        after.ShouldBe(before.Value);
                        break;
                    case NotFoundError:
                        id.ShouldNotBe(existing.Id);
                        after.ShouldBe(before.Value);
                        break;
                    case ConflictError<UserDetails> conflict:
                        conflict.Current.ShouldBe(before.Value);
                        after.ShouldBe(before.Value);
                        break;
                    case ForbiddenError:
                        // Demoting the only active administrator is refused, whatever else the edit holds.
                        before.Value.Role.ShouldBe(UserRole.Administrator);
                        after.ShouldBe(before.Value);
                        break;
                    default:
                        throw new ShouldAssertException($"Unexpected failure {result.Error}");
                }
            },
            seed: Seed,
            iter: Iterations,
            threads: 1,
            print: t => $"id {t.Item1}, name {HostileInput.Show(t.Item2)}, email {HostileInput.Show(t.Item3)}, role {(int)t.Item4}, version {t.Item5}");
    }

    [Fact]
    public async Task Should_answer_every_list_request_with_a_page_or_field_messages()
    {
        await App.CreateUser("Listed", "listed@example.com");
        var sortKeys = Gen.Frequency((2, Gen.OneOf<string?>([null, .. ListUsersQuery.SortKeys])), (1, HostileInput.Text.Select(t => (string?)t)));
        var searches = Gen.Frequency((1, Gen.Const((string?)null)), (3, HostileInput.Text.Select(t => (string?)t)));
        var query = Gen.Select(searches, HostileInput.AnyOf<UserRole>(), HostileInput.AnyOf<UserStatus>(), sortKeys, Gen.Bool, HostileInput.Number, HostileInput.Number,
            (search, role, status, sortBy, descending, page, size) => new ListUsersQuery(search, role, status, sortBy, descending, page, size));

        await query.SampleAsync(
            async q =>
            {
                var result = await App.Send(q);

                if (result.IsSuccess)
                {
                    result.Value.Items.Count.ShouldBeLessThanOrEqualTo(Math.Max(0, q.PageSize));
                    result.Value.PageNumber.ShouldBe(q.Page);
                }
                else
                {
                    var error = result.Error.ShouldBeOfType<ValidationError>();
                    error.Fields.Values.ShouldAllBe(messages => messages.All(m => !string.IsNullOrWhiteSpace(m)));
                }
            },
            seed: Seed,
            iter: Iterations,
            threads: 1,
            print: q => $"search {HostileInput.Show(q.Search)}, role {(int?)q.Role}, status {(int?)q.Status}, sort {HostileInput.Show(q.SortBy)}, page {q.Page}, size {q.PageSize}");
    }

    [Theory]
    [InlineData(int.MaxValue, 100)]
    [InlineData(int.MaxValue, 1)]
    [InlineData(21_474_837, 100)]
    [InlineData(int.MinValue, 25)]
    [InlineData(1, int.MaxValue)]
    [InlineData(1, int.MinValue)]
    public async Task Should_answer_a_page_far_past_the_end_or_before_the_start(int page, int size)
    {
        await App.CreateUser("Listed", "listed@example.com");

        var result = await App.Send(new ListUsersQuery(Page: page, PageSize: size));

        if (result.IsSuccess)
        {
            result.Value.Items.ShouldBeEmpty();
            result.Value.TotalCount.ShouldBe(1);
        }
        else
        {
            result.Error.ShouldBeOfType<ValidationError>().Fields.Keys.ShouldBeSubsetOf(["Page", "PageSize"]);
        }
    }

    [Fact]
    public async Task Should_answer_a_look_up_of_any_id_with_the_user_not_found_or_a_message()
    {
        var existing = await App.CreateUser("Existing", "existing@example.com");

        await Gen.Frequency((1, Gen.Const(existing.Id)), (3, HostileInput.Id)).SampleAsync(
            async id =>
            {
                var result = await App.Send(new GetUserQuery(id));

                if (id == existing.Id)
                {
                    result.ShouldSucceed().ShouldBe(existing);
                }
                else
                {
                    result.Error.ShouldBeOfType(id == Guid.Empty ? typeof(ValidationError) : typeof(NotFoundError));
                }
            },
            seed: Seed,
            iter: Iterations,
            threads: 1);
    }

    public sealed class OnSqlite() : HostileInputTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : HostileInputTests(DatabaseProvider.PostgreSQL);
}

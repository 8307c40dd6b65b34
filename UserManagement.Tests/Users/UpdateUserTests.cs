using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Users;

public abstract class UpdateUserTests(DatabaseProvider provider) : AppTests(provider)
{
    private static UpdateUserCommand Edit(UserDetails user, string? name = null, string? email = null, UserRole? role = null) =>
        new(user.Id, name ?? user.Name, email ?? user.Email, role ?? user.Role, user.Version);

    [Fact]
    public async Task Should_save_the_changes_and_return_the_next_version_when_the_version_is_current()
    {
        var user = await App.CreateUser("Ada", "ada@example.com");
        App.Clock.Advance(TimeSpan.FromMinutes(5));

        var version = (await App.Send(Edit(user, " Ada King ", "ada.king@example.com", UserRole.Administrator)))
            .ShouldSucceed();

        version.ShouldBe(user.Version + 1);
        var stored = (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed();
        stored.Name.ShouldBe("Ada King");
        stored.Email.ShouldBe("ada.king@example.com");
        stored.Role.ShouldBe(UserRole.Administrator);
        stored.Version.ShouldBe(version);
        stored.CreatedAt.ShouldBe(user.CreatedAt);
        stored.UpdatedAt.ShouldBe(TestApp.Start.AddMinutes(5).UtcDateTime);
    }

    [Fact]
    public async Task Should_keep_the_version_and_timestamp_when_nothing_changed()
    {
        var user = await App.CreateUser("Ada", "ada@example.com");
        App.Clock.Advance(TimeSpan.FromMinutes(5));

        var version = (await App.Send(Edit(user, name: "  Ada  "))).ShouldSucceed();

        version.ShouldBe(user.Version);
        (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed().ShouldBe(user);
    }

    [Fact]
    public async Task Should_accept_the_users_own_email_in_another_case()
    {
        var user = await App.CreateUser("Ada", "ada@example.com");

        (await App.Send(Edit(user, email: "ADA@example.com"))).ShouldSucceed();

        (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed().Email.ShouldBe("ADA@example.com");
    }

    [Fact]
    public async Task Should_refuse_on_email_when_another_user_has_it()
    {
        await App.CreateUser("Grace", "grace@example.com");
        var user = await App.CreateUser("Ada", "ada@example.com");

        (await App.Send(Edit(user, email: "Grace@Example.com")))
            .ShouldFailOnField(nameof(UpdateUserCommand.Email))
            .ShouldBe([UserValidationRules.DuplicateEmailMessage]);
        (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed().ShouldBe(user);
    }

    [Fact]
    public async Task Should_return_not_found_when_the_user_does_not_exist()
    {
        var id = Guid.CreateVersion7();

        var error = (await App.Send(new UpdateUserCommand(id, "Ada", "ada@example.com", UserRole.Member, 1)))
            .ShouldFailWith<NotFoundError, long>();

        error.Message.ShouldContain(id.ToString());
    }

    [Fact]
    public async Task Should_return_a_conflict_with_the_current_values_and_overwrite_nothing_when_the_version_is_stale()
    {
        var loaded = await App.CreateUser("Ada", "ada@example.com");
        var theirVersion = (await App.Send(Edit(loaded, name: "Their name"))).ShouldSucceed();

        var conflict = (await App.Send(Edit(loaded, name: "My name", role: UserRole.Administrator)))
            .ShouldFailWith<ConflictError<UserDetails>, long>();

        conflict.Current.Name.ShouldBe("Their name");
        conflict.Current.Version.ShouldBe(theirVersion);
        var stored = (await App.Send(new GetUserQuery(loaded.Id))).ShouldSucceed();
        stored.ShouldBe(conflict.Current);
        stored.Role.ShouldBe(UserRole.Member);
    }

    [Fact]
    public async Task Should_let_exactly_one_of_several_concurrent_edits_of_the_same_version_win()
    {
        var loaded = await App.CreateUser("Ada", "ada@example.com");

        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            Task.Run(() => App.SendFromNewScope(Edit(loaded, name: $"Editor {i}")))));

        results.Count(r => r.IsSuccess).ShouldBe(1);
        results.Where(r => !r.IsSuccess).ShouldAllBe(r => r.Error is ConflictError<UserDetails>);
        var winner = results.Single(r => r.IsSuccess).Value;
        var stored = (await App.Send(new GetUserQuery(loaded.Id))).ShouldSucceed();
        stored.Version.ShouldBe(winner);
        stored.Version.ShouldBe(loaded.Version + 1);
    }

    [Fact]
    public async Task Should_refuse_every_invalid_field_and_change_nothing()
    {
        var user = await App.CreateUser("Ada", "ada@example.com");

        var error = (await App.Send(new UpdateUserCommand(user.Id, " ", "bad", (UserRole)7, 0)))
            .ShouldFailWith<ValidationError, long>();

        error.Fields.Keys.Order().ShouldBe(["Email", "Name", "Role", "Version"]);
        (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed().ShouldBe(user);
    }

    [Fact]
    public async Task Should_change_the_status_in_the_same_save_when_a_status_is_given()
    {
        var user = await App.CreateUser("Ada", "ada@example.com");

        var version = (await App.Send(Edit(user, name: "Ada King") with { Status = UserStatus.Disabled })).ShouldSucceed();

        var stored = (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed();
        stored.Name.ShouldBe("Ada King");
        stored.Status.ShouldBe(UserStatus.Disabled);
        stored.Version.ShouldBe(version);
        version.ShouldBeGreaterThan(user.Version);
    }

    [Fact]
    public async Task Should_leave_the_status_alone_when_no_status_is_given()
    {
        var user = await App.CreateUser("Ada", "ada@example.com");
        var disabled = (await App.Send(new SetUserStatusCommand(user.Id, UserStatus.Disabled, user.Version))).ShouldSucceed();

        (await App.Send(new UpdateUserCommand(user.Id, "Ada King", user.Email, user.Role, disabled))).ShouldSucceed();

        (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed().Status.ShouldBe(UserStatus.Disabled);
    }

    [Fact]
    public async Task Should_refuse_an_unknown_status_and_change_nothing()
    {
        var user = await App.CreateUser("Ada", "ada@example.com");

        (await App.Send(Edit(user, name: "Ada King") with { Status = (UserStatus)8 }))
            .ShouldFailOnField(nameof(UpdateUserCommand.Status))
            .ShouldBe([UserValidationRules.UnknownStatusMessage]);
        (await App.Send(new GetUserQuery(user.Id))).ShouldSucceed().ShouldBe(user);
    }

    [Fact]
    public async Task Should_refuse_on_id_when_the_id_is_empty()
    {
        (await App.Send(new UpdateUserCommand(Guid.Empty, "Ada", "ada@example.com", UserRole.Member, 1)))
            .ShouldFailOnField(nameof(UpdateUserCommand.Id))
            .ShouldBe(["The user id is missing."]);
    }

    public sealed class OnSqlite() : UpdateUserTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : UpdateUserTests(DatabaseProvider.PostgreSQL);
}

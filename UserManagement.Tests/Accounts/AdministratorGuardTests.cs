using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>Someone must always be able to administer.</summary>
public abstract class AdministratorGuardTests(DatabaseProvider provider) : AppTests(provider)
{
    private async Task<UserDetails> Admin(string name) =>
        await App.CreateUser(name, $"{name.ToLowerInvariant()}@example.com", UserRole.Administrator);

    private async Task<UserDetails> Current(UserDetails user) => (await App.Send(new GetUserQuery(user.Id))).Value;

    [Fact]
    public async Task Should_not_let_administrators_delete_disable_or_demote_themselves()
    {
        var ada = await Admin("Ada");
        await Admin("Grace");
        App.Caller.ActAs(ada);

        (await App.Send(new DeleteUserCommand(ada.Id, ada.Version))).ShouldFailWith<ForbiddenError>()
            .Message.ShouldBe("You cannot delete your own account.");
        (await App.Send(new SetUserStatusCommand(ada.Id, UserStatus.Disabled, ada.Version))).ShouldFailWith<ForbiddenError, long>()
            .Message.ShouldBe("You cannot disable your own account.");
        (await App.Send(new UpdateUserCommand(ada.Id, ada.Name, ada.Email, UserRole.Member, ada.Version))).ShouldFailWith<ForbiddenError, long>()
            .Message.ShouldBe("You cannot demote your own account.");
        (await App.Send(new UpdateUserCommand(ada.Id, ada.Name, ada.Email, ada.Role, ada.Version, UserStatus.Disabled))).ShouldFailWith<ForbiddenError, long>()
            .Message.ShouldBe("You cannot disable your own account.");

        (await Current(ada)).ShouldBe(ada);
    }

    [Fact]
    public async Task Should_let_administrators_edit_their_own_name_and_email()
    {
        var ada = await Admin("Ada");
        App.Caller.ActAs(ada);

        (await App.Send(new UpdateUserCommand(ada.Id, "Ada King", "ada.king@example.com", UserRole.Administrator, ada.Version))).ShouldSucceed();
    }

    [Fact]
    public async Task Should_never_delete_disable_or_demote_the_last_active_administrator()
    {
        var ada = await Admin("Ada");
        var disabledAdmin = await Admin("Dormant");
        (await App.Send(new SetUserStatusCommand(disabledAdmin.Id, UserStatus.Disabled, disabledAdmin.Version))).ShouldSucceed();

        (await App.Send(new DeleteUserCommand(ada.Id, ada.Version))).ShouldFailWith<ForbiddenError>()
            .Message.ShouldBe("This is the last active administrator. Make someone else an administrator first.");
        (await App.Send(new SetUserStatusCommand(ada.Id, UserStatus.Disabled, ada.Version))).ShouldFailWith<ForbiddenError, long>();
        (await App.Send(new UpdateUserCommand(ada.Id, ada.Name, ada.Email, UserRole.Member, ada.Version))).ShouldFailWith<ForbiddenError, long>();

        (await Current(ada)).ShouldBe(ada);
    }

    [Fact]
    public async Task Should_allow_removing_an_administrator_while_another_active_one_remains()
    {
        var ada = await Admin("Ada");
        var grace = await Admin("Grace");

        (await App.Send(new UpdateUserCommand(grace.Id, grace.Name, grace.Email, UserRole.Member, grace.Version))).ShouldSucceed();

        (await App.Send(new DeleteUserCommand(ada.Id, ada.Version))).ShouldFailWith<ForbiddenError>();
        (await Current(grace)).Role.ShouldBe(UserRole.Member);
    }

    [Fact]
    public async Task Should_not_guard_members_or_disabled_administrators()
    {
        await Admin("Keeper");
        var member = await App.CreateUser("Member", "member@example.com");
        var dormant = await Admin("Dormant");
        (await App.Send(new SetUserStatusCommand(dormant.Id, UserStatus.Disabled, dormant.Version))).ShouldSucceed();

        (await App.Send(new DeleteUserCommand(member.Id, member.Version))).ShouldSucceed();
        (await App.Send(new DeleteUserCommand(dormant.Id, (await Current(dormant)).Version))).ShouldSucceed();
    }

    [Fact]
    public async Task Should_keep_one_administrator_when_the_last_two_demote_each_other_at_the_same_time()
    {
        var ada = await Admin("Ada");
        var grace = await Admin("Grace");

        // Each administrator's own circuit, each demoting the other, started together.
        async Task<Result<long>> Demote(UserDetails actor, UserDetails target)
        {
            var handler = ActivatorUtilities.CreateInstance<UpdateUserCommandHandler>(App.Services, new FixedCaller(actor));
            return await handler.Handle(new UpdateUserCommand(target.Id, target.Name, target.Email, UserRole.Member, target.Version), default);
        }

        var results = await Task.WhenAll(Task.Run(() => Demote(ada, grace)), Task.Run(() => Demote(grace, ada)));

        results.Count(r => r.IsSuccess).ShouldBe(1);
        results.Single(r => !r.IsSuccess).Error.ShouldBeOfType<ForbiddenError>();
        var admins = (await App.Send(new ListUsersQuery(Role: UserRole.Administrator))).Value;
        admins.TotalCount.ShouldBe(1);
    }

    private sealed class FixedCaller(UserDetails user) : ICurrentUser
    {
        public ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<Caller?>(new Caller(user.Id, Guid.CreateVersion7(), user.Email, user.Role, false));
    }

    public sealed class OnSqlite() : AdministratorGuardTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : AdministratorGuardTests(DatabaseProvider.PostgreSQL);
}

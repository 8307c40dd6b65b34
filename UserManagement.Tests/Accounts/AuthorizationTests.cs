using Mediator;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Passkeys;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

/// <summary>Every handler refuses callers who may not send its message, whoever calls it and however.</summary>
public abstract class AuthorizationTests(DatabaseProvider provider) : AppTests(provider)
{
    private static readonly Guid SomeId = Guid.CreateVersion7();

    /// <summary>One sample of every message only an Administrator may send.</summary>
    public static TheoryData<string, object> AdministratorMessages => new()
    {
        { nameof(CreateUserCommand), new CreateUserCommand("Eve", "eve@example.com", UserRole.Administrator) },
        { nameof(UpdateUserCommand), new UpdateUserCommand(SomeId, "Eve", "eve@example.com", UserRole.Administrator, 1) },
        { nameof(DeleteUserCommand), new DeleteUserCommand(SomeId, 1) },
        { nameof(SetUserStatusCommand), new SetUserStatusCommand(SomeId, UserStatus.Disabled, 1) },
        { nameof(GetUserQuery), new GetUserQuery(SomeId) },
        { nameof(ListUsersQuery), new ListUsersQuery() },
        { nameof(SetTemporaryPasswordCommand), new SetTemporaryPasswordCommand(SomeId, "a fine temporary password", 1) },
        { nameof(UnlockUserCommand), new UnlockUserCommand(SomeId, 1) },
        { nameof(EndUserSessionsCommand), new EndUserSessionsCommand(SomeId) },
        { nameof(ResetUserMfaCommand), new ResetUserMfaCommand(SomeId, 1) },
        { nameof(GetUserMfaQuery), new GetUserMfaQuery(SomeId) },
        { nameof(PreviewImportQuery), new PreviewImportQuery("people.csv", ImportFiles.ValidRows(1)) },
        { nameof(StartImportCommand), new StartImportCommand("people.csv", ImportFiles.ValidRows(1)) },
        { nameof(ListJobsQuery), new ListJobsQuery() },
        { nameof(GetJobQuery), new GetJobQuery(SomeId) },
        { nameof(CancelJobCommand), new CancelJobCommand(SomeId) },
        { nameof(ListDeadLettersQuery), new ListDeadLettersQuery() },
        { nameof(RetryDeadLetterCommand), new RetryDeadLetterCommand(SomeId) },
        { nameof(DiscardDeadLetterCommand), new DiscardDeadLetterCommand(SomeId) },
        { nameof(ListAuditEntriesQuery), new ListAuditEntriesQuery(new AuditFilter()) },
        { nameof(ExportAuditEntriesQuery), new ExportAuditEntriesQuery(new AuditFilter()) },
        { nameof(ExportUsersQuery), new ExportUsersQuery(new UserListFilter()) },
        { nameof(PreviewBulkUserActionQuery), new PreviewBulkUserActionQuery(BulkUserAction.Disable, BulkSelection.Of(SomeId)) },
        { nameof(StartBulkUserActionCommand), new StartBulkUserActionCommand(BulkUserAction.Disable, BulkSelection.Of(SomeId)) },
        { nameof(ListUserPasskeysQuery), new ListUserPasskeysQuery(SomeId) },
        { nameof(RemoveUserPasskeyCommand), new RemoveUserPasskeyCommand(SomeId, SomeId) },
    };

    /// <summary>Messages any signed-in user may send about themself.</summary>
    public static TheoryData<string, object> SignedInMessages => new()
    {
        { nameof(SignOutCommand), new SignOutCommand() },
        { nameof(ChangeOwnPasswordCommand), new ChangeOwnPasswordCommand("old password here", "a brand new password") },
        { nameof(ListMySessionsQuery), new ListMySessionsQuery() },
        { nameof(EndMySessionsCommand), new EndMySessionsCommand(null) },
        { nameof(StartMfaEnrolmentQuery), new StartMfaEnrolmentQuery() },
        { nameof(EnableMfaCommand), new EnableMfaCommand("JBSWY3DPEHPK3PXP", "123456") },
        { nameof(GetMyMfaQuery), new GetMyMfaQuery() },
        { nameof(ReauthenticateCommand), new ReauthenticateCommand("my password") },
        { nameof(ListMyPasskeysQuery), new ListMyPasskeysQuery() },
        { nameof(StartPasskeyRegistrationCommand), new StartPasskeyRegistrationCommand() },
        { nameof(RegisterPasskeyCommand), new RegisterPasskeyCommand(SomeId, "Laptop", "{}") },
        { nameof(RenamePasskeyCommand), new RenamePasskeyCommand(SomeId, "Laptop") },
        { nameof(RemovePasskeyCommand), new RemovePasskeyCommand(SomeId) },
        { nameof(StartPasskeyReauthenticationCommand), new StartPasskeyReauthenticationCommand() },
        { nameof(ReauthenticateWithPasskeyCommand), new ReauthenticateWithPasskeyCommand(SomeId, "{}") },
    };

    private async Task<Error?> SendAsync(object message)
    {
        var result = (IOutcome)(await App.Mediator.Send(message, TestContext.Current.CancellationToken))!;
        return result.Error;
    }

    [Theory]
    [MemberData(nameof(AdministratorMessages))]
    [MemberData(nameof(SignedInMessages))]
    public async Task Should_refuse_an_anonymous_caller(string name, object message)
    {
        App.Caller.ActAsAnonymous();

        var error = await SendAsync(message);

        error.ShouldBeOfType<ForbiddenError>(name).Message.ShouldBe(AuthorizationBehavior<SignOutCommand, Result>.SignInRequired);
        (await App.StoredUsersAsync()).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(AdministratorMessages))]
    public async Task Should_refuse_a_member(string name, object message)
    {
        App.Caller.ActAsMember();

        var error = await SendAsync(message);

        error.ShouldBeOfType<ForbiddenError>(name).Message.ShouldBe(AuthorizationBehavior<SignOutCommand, Result>.AdministratorRequired);
        (await App.StoredUsersAsync()).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(AdministratorMessages))]
    public async Task Should_refuse_an_administrator_who_must_change_their_password_first(string name, object message)
    {
        App.Caller.ActAs(TestCurrentUser.Administrator with { MustChangePassword = true });

        (await SendAsync(message)).ShouldBeOfType<ForbiddenError>(name);
    }

    [Fact]
    public async Task Should_log_every_refusal_with_who_and_why()
    {
        App.Caller.ActAsMember();
        await SendAsync(new DeleteUserCommand(SomeId, 1));
        App.Caller.ActAsAnonymous();
        await SendAsync(new ListUsersQuery());

        App.Logs.Lines.ShouldContain(l => l.Contains("Refused DeleteUserCommand for user", StringComparison.Ordinal) && l.Contains("not an administrator", StringComparison.Ordinal));
        App.Logs.Lines.ShouldContain(l => l.Contains("Refused ListUsersQuery for user (null): no valid session", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_refuse_before_validating_so_an_outsider_learns_nothing_about_the_input()
    {
        App.Caller.ActAsAnonymous();

        (await SendAsync(new CreateUserCommand("", "not an email", (UserRole)9))).ShouldBeOfType<ForbiddenError>();
    }

    [Fact]
    public async Task Should_let_an_administrator_through()
    {
        (await SendAsync(new ListUsersQuery())).ShouldBeNull();
    }

    [Fact]
    public async Task Should_let_anyone_try_to_sign_in()
    {
        App.Caller.ActAsAnonymous();

        (await SendAsync(new SignInCommand("nobody@example.com", "whatever password", null))).ShouldBeOfType<SignInRefusedError>();
    }

    [Fact]
    public async Task Should_let_a_member_sign_out_of_their_own_session()
    {
        App.Caller.ActAsMember();

        (await SendAsync(new SignOutCommand())).ShouldBeNull();
    }

    [Fact]
    public void Should_cover_every_message_of_the_application()
    {
        var covered = AdministratorMessages.Concat(SignedInMessages).Select(row => row.Data.Item2.GetType()).ToHashSet();
        var messages = typeof(User).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMessage).IsAssignableFrom(t))
            .Where(t => !typeof(IPublicMessage).IsAssignableFrom(t))
            .ToList();

        messages.ShouldNotBeEmpty();
        messages.Where(t => !covered.Contains(t)).Select(t => t.Name)
            .ShouldBeEmpty("every message that is not public must be in the authorization tests");
        typeof(User).Assembly.GetTypes().Where(t => typeof(IPublicMessage).IsAssignableFrom(t) && t.IsClass)
            .Select(t => t.Name).ShouldBe(
                [nameof(SignInCommand), nameof(VerifySecondFactorCommand), nameof(StartPasskeySignInCommand), nameof(SignInWithPasskeyCommand)],
                ignoreOrder: true);
    }

    public sealed class OnSqlite() : AuthorizationTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : AuthorizationTests(DatabaseProvider.PostgreSQL);
}

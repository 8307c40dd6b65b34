using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.Sqlite.Audit;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Audit;

/// <summary>Each command leaves exactly the entry it should, in its own transaction, and nothing when refused.</summary>
[OneProvider("Reads the trail and tries to change it with SQLite SQL; PostgreSQL's append-only trail has its own tests.")]
public sealed class AuditTrailTests : AppTests
{
    private const string Password = "a long enough password";

    private static readonly Guid AdministratorId = TestCurrentUser.Administrator.UserId;

    /// <summary>The entries written after <paramref name="mark"/> (the last id before the act).</summary>
    private async Task<List<AuditEntry>> EntriesAfter(long mark) => [.. (await App.AuditEntriesAsync()).Where(e => e.Id > mark)];

    /// <summary>No entry written and no event published since <paramref name="mark"/>.</summary>
    private async Task ShouldHaveRecordedNothingAfter(long mark)
    {
        (await EntriesAfter(mark)).ShouldBeEmpty();
        App.Published.Events.ShouldBeEmpty();
    }

    private async Task<long> Mark()
    {
        App.Published.Clear();
        return (await App.AuditEntriesAsync()).Select(e => e.Id).DefaultIfEmpty(0).Max();
    }

    private static void ShouldBeByTheAdministrator(AuditEntry entry)
    {
        entry.ActorId.ShouldBe(AdministratorId);
        entry.ActorName.ShouldBe(TestCurrentUser.Administrator.Email);
        entry.CorrelationId.ShouldNotBeNullOrWhiteSpace();
        entry.OccurredAt.ShouldBe(App_Start);
    }

    private static readonly DateTime App_Start = TestApp.Start.UtcDateTime;

    [Fact]
    public async Task Should_record_who_created_a_user_and_every_field_they_set()
    {
        var created = (await App.Send(new CreateUserCommand(" Ada Lovelace ", "ada@example.com", UserRole.Member))).ShouldSucceed();

        var entry = (await App.AuditEntriesAsync()).ShouldHaveSingleItem();
        entry.Action.ShouldBe(AuditActions.UserCreated);
        ShouldBeByTheAdministrator(entry);
        entry.TargetId.ShouldBe(created);
        entry.TargetName.ShouldBe("Ada Lovelace");
        entry.TargetEmail.ShouldBe("ada@example.com");
        entry.Changes.ShouldBe(
        [
            new FieldChange("Name", null, "Ada Lovelace"), new FieldChange("Email", null, "ada@example.com"),
            new FieldChange("Role", null, "Member"), new FieldChange("Status", null, "Active"),
        ]);
    }

    [Fact]
    public async Task Should_record_each_changed_field_old_and_new_in_one_operation()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com", UserRole.Member);
        var mark = await Mark();

        (await App.Send(new UpdateUserCommand(ada.Id, "Ada King", "ada.king@example.com", UserRole.Administrator, ada.Version, UserStatus.Disabled)))
            .ShouldSucceed();

        var entries = await EntriesAfter(mark);
        entries.Select(e => e.Action).ShouldBe([AuditActions.UserUpdated, AuditActions.UserRoleChanged, AuditActions.UserStatusChanged]);
        entries[0].Changes.ShouldBe([new FieldChange("Name", "Ada", "Ada King"), new FieldChange("Email", "ada@example.com", "ada.king@example.com")]);
        entries[1].Changes.ShouldBe([new FieldChange("Role", "Member", "Administrator")]);
        entries[2].Changes.ShouldBe([new FieldChange("Status", "Active", "Disabled")]);
        entries[2].Detail.ShouldBe("Disabled: their sessions ended.");
        entries.ShouldAllBe(e => e.TargetId == ada.Id && e.TargetName == "Ada King" && e.CorrelationId == entries[0].CorrelationId);
        entries.ForEach(ShouldBeByTheAdministrator);
    }

    [Fact]
    public async Task Should_record_nothing_when_a_save_changes_nothing()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var mark = await Mark();

        (await App.Send(new UpdateUserCommand(ada.Id, " Ada ", "ada@example.com ", ada.Role, ada.Version, ada.Status))).ShouldSucceed();

        await ShouldHaveRecordedNothingAfter(mark);
    }

    [Fact]
    public async Task Should_keep_a_readable_entry_of_a_deleted_user()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var mark = await Mark();

        (await App.Send(new DeleteUserCommand(ada.Id, ada.Version))).ShouldSucceed();

        var entry = (await EntriesAfter(mark)).ShouldHaveSingleItem();
        entry.Action.ShouldBe(AuditActions.UserDeleted);
        (entry.TargetId, entry.TargetName, entry.TargetEmail).ShouldBe((ada.Id, "Ada", "ada@example.com"));
        entry.Detail.ShouldBe("Deleted while active with the role Member; their sessions ended.");
        var history = (await App.Send(new ListAuditEntriesQuery(new AuditFilter(UserId: ada.Id)))).ShouldSucceed();
        history.Items.Select(i => i.Action).ShouldBe([AuditActions.UserDeleted, AuditActions.UserCreated]);
    }

    [Fact]
    public async Task Should_record_a_status_change_from_the_list()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var mark = await Mark();

        (await App.Send(new SetUserStatusCommand(ada.Id, UserStatus.Disabled, ada.Version))).ShouldSucceed();

        var entry = (await EntriesAfter(mark)).ShouldHaveSingleItem();
        entry.Action.ShouldBe(AuditActions.UserStatusChanged);
        entry.Changes.ShouldBe([new FieldChange("Status", "Active", "Disabled")]);
        ShouldBeByTheAdministrator(entry);
    }

    [Fact]
    public async Task Should_record_that_a_temporary_password_was_set_and_sessions_ended_without_any_secret()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", Password);
        (await App.Send(new SignInCommand("ada@example.com", Password, "10.0.0.7"))).ShouldSucceed();
        (await App.Send(new SignInCommand("ada@example.com", Password, "10.0.0.8"))).ShouldSucceed();
        string stampBefore;
        await using (var db = await App.OpenDbAsync())
        {
            stampBefore = (await db.Users.SingleAsync(u => u.Id == ada.Id, TestContext.Current.CancellationToken)).SecurityStamp;
        }

        var mark = await Mark();
        const string Temporary = "temporary pass phrase 7";
        (await App.Send(new SetTemporaryPasswordCommand(ada.Id, Temporary, (await App.Send(new GetUserQuery(ada.Id))).Value.Version))).ShouldSucceed();

        var entries = await EntriesAfter(mark);
        entries.Select(e => e.Action).ShouldBe([AuditActions.PasswordReset, AuditActions.SessionsEnded]);
        entries[0].Detail.ShouldBe("Temporary password set, valid until 2026-01-18 09:30 UTC; it must be changed at the next sign-in. Their sessions ended.");
        entries[1].Detail.ShouldBe("2 sessions ended: temporary password set.");
        entries.ForEach(ShouldBeByTheAdministrator);

        await using var check = await App.OpenDbAsync();
        var stored = await check.Users.AsNoTracking().SingleAsync(u => u.Id == ada.Id, TestContext.Current.CancellationToken);
        var secrets = new[] { Temporary, Password, stored.PasswordHash!, stored.SecurityStamp, stampBefore };
        await ShouldHoldNoSecretAsync(secrets);
    }

    /// <summary>Reads every column of every stored entry as text, and the log, and looks for each secret.</summary>
    private async Task ShouldHoldNoSecretAsync(IEnumerable<string> secrets)
    {
        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM AuditEntries";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var text = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                text.Add(reader.IsDBNull(i) ? string.Empty : reader.GetValue(i).ToString()!);
            }
        }

        text.ShouldNotBeEmpty();
        var everything = string.Join("\n", text.Concat(App.Logs.Lines));
        foreach (var secret in secrets)
        {
            everything.ShouldNotContain(secret);
        }

        App.Published.Events.Select(e => e.ToString()).ShouldAllBe(e => secrets.All(s => !e!.Contains(s)));
    }

    [Fact]
    public async Task Should_record_an_unlock_once()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", Password);
        for (var i = 0; i < SignInCommand.MaxFailedAttempts; i++)
        {
            await App.Send(new SignInCommand("ada@example.com", "wrong password here", null));
        }

        var mark = await Mark();
        var locked = (await App.Send(new GetUserQuery(ada.Id))).Value;

        (await App.Send(new UnlockUserCommand(ada.Id, locked.Version))).ShouldSucceed();

        var entry = (await EntriesAfter(mark)).ShouldHaveSingleItem();
        entry.Action.ShouldBe(AuditActions.UserUnlocked);
        entry.Detail.ShouldBe("Sign-in lockout lifted.");
        ShouldBeByTheAdministrator(entry);
    }

    [Fact]
    public async Task Should_record_how_many_sessions_an_administrator_ended()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", Password);
        (await App.Send(new SignInCommand("ada@example.com", Password, null))).ShouldSucceed();
        var mark = await Mark();

        (await App.Send(new EndUserSessionsCommand(ada.Id))).ShouldSucceed().ShouldBe(1);
        (await App.Send(new EndUserSessionsCommand(ada.Id))).ShouldSucceed().ShouldBe(0);

        var entries = await EntriesAfter(mark);
        entries.Select(e => (e.Action, e.Detail)).ShouldBe(
        [
            (AuditActions.SessionsEnded, "1 session ended: ended by an administrator."),
            (AuditActions.SessionsEnded, "0 session(s) ended by an administrator"),
        ]);
        entries.ShouldAllBe(e => e.TargetId == ada.Id && e.ActorId == AdministratorId);
    }

    [Fact]
    public async Task Should_record_a_users_own_password_change_as_theirs()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", Password, UserRole.Member);
        var session = (await App.Send(new SignInCommand("ada@example.com", Password, null))).ShouldSucceed();
        App.Caller.ActAs(new Caller(ada.Id, session.SessionId, ada.Email, ada.Role, false));
        var mark = await Mark();

        (await App.Send(new ChangeOwnPasswordCommand(Password, "another long password"))).ShouldSucceed();

        var entries = await EntriesAfter(mark);
        entries.Select(e => e.Action).ShouldBe([AuditActions.PasswordChanged, AuditActions.SessionsEnded]);
        entries.ShouldAllBe(e => e.ActorId == ada.Id && e.ActorName == "ada@example.com" && e.TargetId == ada.Id);
        await ShouldHoldNoSecretAsync([Password, "another long password"]);
    }

    [Fact]
    public async Task Should_put_sign_ins_and_refused_sign_ins_in_the_same_trail()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", Password);
        var mark = await Mark();

        (await App.Send(new SignInCommand("ada@example.com", Password, "10.0.0.7"))).ShouldSucceed();
        await App.Send(new SignInCommand("ada@example.com", "wrong password here", "10.0.0.7"));
        await App.Send(new SignInCommand("my secret password typed as email", "whatever", "10.0.0.9"));

        var entries = await EntriesAfter(mark);
        entries.Select(e => (e.Action, e.TargetId, e.Detail)).ShouldBe(
        [
            ("SignInSucceeded", (Guid?)ada.Id, "signed in (from 10.0.0.7)"),
            ("SignInFailed", ada.Id, "wrong password (from 10.0.0.7)"),
            ("SignInFailed", null, "unknown email (from 10.0.0.9)"),
        ]);
        entries.ShouldAllBe(e => e.ActorId == null && e.ActorName == OperationContext.AnonymousActorName);
        entries[2].TargetEmail.ShouldBe("my… (33 characters, unknown)", "a mistyped password in the email box reaches the trail only masked");
        await ShouldHoldNoSecretAsync([Password, "wrong password here", "my secret password typed as email"]);
    }

    [Fact]
    public async Task Should_record_nothing_for_a_refused_command()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com", UserRole.Administrator);
        var mark = await Mark();

        (await App.Send(new CreateUserCommand("Bad", "not an email", UserRole.Member))).ShouldFailWith<ValidationError, Guid>();
        (await App.Send(new UpdateUserCommand(ada.Id, "Stale", ada.Email, ada.Role, ada.Version + 1))).ShouldFailWith<ConflictError<UserDetails>, long>();
        (await App.Send(new SetUserStatusCommand(Guid.CreateVersion7(), UserStatus.Disabled, 1))).ShouldFailWith<NotFoundError, long>();
        (await App.Send(new DeleteUserCommand(ada.Id, ada.Version))).ShouldFailWith<ForbiddenError>();
        App.Caller.ActAsMember();
        (await App.Send(new CreateUserCommand("Eve", "eve@example.com", UserRole.Administrator))).ShouldFailWith<ForbiddenError, Guid>();

        await ShouldHaveRecordedNothingAfter(mark);
    }

    [Fact]
    public async Task Should_record_the_first_administrator_as_the_work_of_system()
    {
        await App.Get<AdministratorBootstrap>().EnsureAdministratorAsync(null, null, TestContext.Current.CancellationToken);

        var entries = await App.AuditEntriesAsync();
        entries.Select(e => e.Action).ShouldBe([AuditActions.UserCreated, AuditActions.PasswordReset, "AdministratorBootstrapped"]);
        entries.ShouldAllBe(e => e.ActorId == null && e.ActorName == OperationContext.SystemActorName
            && e.CorrelationId == entries[0].CorrelationId && e.TargetEmail == AdministratorBootstrap.DefaultEmail);
    }

    [Fact]
    public async Task Should_write_neither_the_change_nor_its_entry_when_the_commit_fails()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var mark = await Mark();
        App.Faults.FailNextCommit();

        await Should.ThrowAsync<InjectedFaultException>(async () =>
            await App.Send(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, ada.Role, ada.Version)));

        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Name.ShouldBe("Ada");
        await ShouldHaveRecordedNothingAfter(mark);
    }

    [Fact]
    public async Task Should_write_nothing_of_a_handlers_transaction_when_it_fails_to_commit()
    {
        var ada = await App.CreateUserWithPassword("ada@example.com", Password);
        var session = (await App.Send(new SignInCommand("ada@example.com", Password, null))).ShouldSucceed();
        var before = (await App.Send(new GetUserQuery(ada.Id))).Value;
        var mark = await Mark();
        App.Faults.FailNextCommit();

        await Should.ThrowAsync<InjectedFaultException>(async () =>
            await App.Send(new SetTemporaryPasswordCommand(ada.Id, "temporary pass phrase 7", before.Version)));

        (await App.Send(new GetUserQuery(ada.Id))).Value.ShouldBe(before);
        (await App.ConfirmSessionAsync(session.SessionId)).ShouldNotBeNull();
        await ShouldHaveRecordedNothingAfter(mark);
    }

    [Fact]
    public async Task Should_not_save_the_change_when_its_entry_cannot_be_written()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var mark = await Mark();
        App.Faults.FailNextCommandContaining("INSERT INTO \"AuditEntries\"");

        await Should.ThrowAsync<Exception>(async () =>
            await App.Send(new SetUserStatusCommand(ada.Id, UserStatus.Disabled, ada.Version)));

        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Status.ShouldBe(UserStatus.Active);
        await ShouldHaveRecordedNothingAfter(mark);
    }

    [Fact]
    public async Task Should_publish_the_events_after_the_commit_in_the_order_they_happened()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com", UserRole.Member);
        await Mark();

        (await App.Send(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, UserRole.Administrator, ada.Version, UserStatus.Disabled)))
            .ShouldSucceed();

        var published = App.Published.All;
        published.Select(p => p.Event.GetType()).ShouldBe([typeof(UserUpdated), typeof(UserRoleChanged), typeof(UserStatusChanged)]);
        published.ShouldAllBe(p => p.CommittedEntriesOfItsOperation == 3, "every entry was committed before the first event went out");
        published.ShouldAllBe(p => p.Context.ActorId == AdministratorId && p.Context.CorrelationId == published[0].Context.CorrelationId);
        ((UserUpdated)published[0].Event).Changes.ShouldBe([new FieldChange("Name", "Ada", "Ada King")]);
    }

    [Fact]
    public async Task Should_publish_when_the_handlers_own_transaction_commits()
    {
        // Demoting an administrator runs the guard and the save in one explicit transaction.
        await App.CreateUser("Grace", "grace@example.com", UserRole.Administrator);
        var ada = await App.CreateUser("Ada", "ada@example.com", UserRole.Administrator);
        await Mark();

        (await App.Send(new UpdateUserCommand(ada.Id, ada.Name, ada.Email, UserRole.Member, ada.Version))).ShouldSucceed();

        var published = App.Published.All.ShouldHaveSingleItem();
        published.Event.ShouldBeOfType<UserRoleChanged>().To.ShouldBe(UserRole.Member);
        published.CommittedEntriesOfItsOperation.ShouldBe(1);
    }

    [Fact]
    public async Task Should_publish_nothing_when_the_handlers_transaction_rolls_back()
    {
        // The guard refuses demoting the last administrator after its transaction began: nothing was committed.
        var ada = await App.CreateUser("Ada", "ada@example.com", UserRole.Administrator);
        var mark = await Mark();

        (await App.Send(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, UserRole.Member, ada.Version))).ShouldFailWith<ForbiddenError, long>();

        await ShouldHaveRecordedNothingAfter(mark);
        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Name.ShouldBe("Ada");
    }

    [Fact]
    public async Task Should_drop_the_events_of_a_transaction_that_rolled_back_or_was_never_committed()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var mark = await Mark();
        var now = App_Start;

        await using (var db = await App.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            (await db.Users.SingleAsync(TestContext.Current.CancellationToken)).SetStatus(UserStatus.Disabled, now);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            App.Published.Events.ShouldBeEmpty("the events wait for the commit");
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }

        await using (var db = await App.OpenDbAsync())
        {
            await using var abandoned = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            (await db.Users.SingleAsync(TestContext.Current.CancellationToken)).Update("Never saved", ada.Email, ada.Role, now);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using (var db = await App.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            (await db.Users.SingleAsync(TestContext.Current.CancellationToken)).Update("Ada King", ada.Email, ada.Role, now);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }

        App.Published.Events.ShouldHaveSingleItem().ShouldBeOfType<UserUpdated>().Changes.ShouldBe([new FieldChange("Name", "Ada", "Ada King")]);
        (await EntriesAfter(mark)).ShouldHaveSingleItem().Action.ShouldBe(AuditActions.UserUpdated);
    }

    [Fact]
    public async Task Should_refuse_a_synchronous_save_begin_or_commit_rather_than_skip_the_trail()
    {
        var ada = await App.CreateUser("Ada", "ada@example.com");
        var mark = await Mark();
        var cancellation = TestContext.Current.CancellationToken;

        await using (var db = await App.OpenDbAsync())
        {
            (await db.Users.SingleAsync(cancellation)).Update("Saved synchronously", ada.Email, ada.Role, App_Start);
            Should.Throw<NotSupportedException>(() => db.SaveChanges()).Message.ShouldContain("SaveChangesAsync");
            Should.Throw<NotSupportedException>(() => db.Database.BeginTransaction()).Message.ShouldContain("BeginTransactionAsync");
        }

        await using (var db = await App.OpenDbAsync())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
            (await db.Users.SingleAsync(cancellation)).Update("Committed synchronously", ada.Email, ada.Role, App_Start);
            await db.SaveChangesAsync(cancellation);
            Should.Throw<NotSupportedException>(() => transaction.Commit()).Message.ShouldContain("CommitAsync");
        }

        (await App.StoredUsersAsync()).ShouldHaveSingleItem().Name.ShouldBe("Ada");
        await ShouldHaveRecordedNothingAfter(mark);
    }

    [Fact]
    public async Task Should_log_each_entry_once_with_its_values_as_parameters()
    {
        await App.Send(new CreateUserCommand("Ada {Name} Lovelace", "ada@example.com", UserRole.Member));

        var line = App.Logs.Records.Where(r => r.EventId.Id is >= AuditLog.FirstEventId and <= AuditLog.OtherEventId).ShouldHaveSingleItem();
        line.EventId.ShouldBe(new Microsoft.Extensions.Logging.EventId(AuditLog.EventIdOf(AuditActions.UserCreated), AuditActions.UserCreated));
        line.Values["{OriginalFormat}"].ShouldBe(
            "Audit {Action} of user {TargetId} ({TargetEmail}) by {ActorName} ({ActorId}), correlation {CorrelationId}; changes {Changes}; {Detail}");
        line.Values["TargetEmail"].ShouldBe("ada@example.com");
        line.Values["ActorId"].ShouldBe(AdministratorId);
        line.Values["Changes"].ShouldBeOfType<string>().ShouldContain("\"New\":\"Ada {Name} Lovelace\"");
    }

    [Fact]
    public async Task Should_refuse_to_change_or_delete_an_entry_through_the_application()
    {
        await App.CreateUser("Ada", "ada@example.com");
        await using var db = await App.OpenDbAsync();
        var entry = await db.AuditEntries.SingleAsync(TestContext.Current.CancellationToken);

        db.Entry(entry).Property(e => e.Detail).CurrentValue = "rewritten";
        (await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken)))
            .Message.ShouldContain("append-only");
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(await db.AuditEntries.SingleAsync(TestContext.Current.CancellationToken));
        await Should.ThrowAsync<InvalidOperationException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        (await App.AuditEntriesAsync()).ShouldHaveSingleItem().Detail.ShouldBeNull();
    }

    [Fact]
    public async Task Should_refuse_an_update_of_an_entry_in_the_database_itself()
    {
        await App.CreateUser("Ada", "ada@example.com");
        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE AuditEntries SET ActorName = 'someone else'";

        var refused = await Should.ThrowAsync<SqliteException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

        refused.Message.ShouldContain("append-only");
        (await App.AuditEntriesAsync()).ShouldHaveSingleItem().ActorName.ShouldBe(TestCurrentUser.Administrator.Email);
    }

    [Fact]
    public async Task Should_refuse_a_delete_of_an_entry_in_the_database_itself()
    {
        // Refusing UPDATE is not enough: a DELETE would take an entry out just as well.
        await App.CreateUser("Ada", "ada@example.com");
        await using var connection = new SqliteConnection(App.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);

        foreach (var sql in new[]
        {
            "DELETE FROM AuditEntries",
            "DELETE FROM AuditEntries WHERE OccurredAt < '9999-12-31'",
            "UPDATE AuditTrailPruning SET \"Before\" = NULL; DELETE FROM AuditEntries",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;

            var refused = await Should.ThrowAsync<SqliteException>(() => command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));

            refused.Message.ShouldContain(SqliteAuditTrailSql.DeleteGuardMessage, customMessage: sql);
        }

        (await App.AuditEntriesAsync()).ShouldHaveSingleItem().Action.ShouldBe(AuditActions.UserCreated);
    }

    [Fact]
    public void Should_have_an_entry_for_every_domain_event_the_application_raises()
    {
        var context = OperationContext.System();
        var user = new UserRef(Guid.CreateVersion7(), "Ada", "ada@example.com");
        var now = App_Start;
        IDomainEvent[] samples =
        [
            new UserCreated(user, UserRole.Member, UserStatus.Active, now), new UserUpdated(user, [], now),
            new UserRoleChanged(user, UserRole.Administrator, UserRole.Member, now), new UserStatusChanged(user, UserStatus.Active, UserStatus.Disabled, now),
            new UserDeleted(user, UserRole.Member, UserStatus.Active, now), new PasswordReset(user, now, now), new PasswordChanged(user, now),
            new UserUnlocked(user, now), new SessionsEnded(user, 2, "why", now), new AuditTrailPruned(3, now, 30, now),
            new UserLockedOut(user, now, "why", now), new UserLockedOut(user, now, "why", now, LockoutKind.SecondFactor),
            new JobStarted(Guid.CreateVersion7(), JobKind.BulkDisable, "Disable 2 users", 2, now),
            new JobCompleted(Guid.CreateVersion7(), JobKind.UserImport, "people.csv", "Created 2 users.", now),
            new JobCancelled(Guid.CreateVersion7(), JobKind.UserImport, "people.csv", "Cancelled.", now),
            new JobStopped(Guid.CreateVersion7(), JobKind.UserImport, "people.csv", "Stopped because ana@example.com was disabled.", now),
            new DeadLetterRetried(Guid.CreateVersion7(), "ImportUsersJob", Guid.CreateVersion7(), now),
            new DeadLetterDiscarded(Guid.CreateVersion7(), "ImportUsersJob", null, now),
        ];
        var eventTypes = typeof(IDomainEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainEvent).IsAssignableFrom(t));

        samples.Select(s => s.GetType()).Distinct().ShouldBe(eventTypes.Where(t => t != typeof(SecurityEvent)), ignoreOrder: true);
        foreach (var sample in samples)
        {
            var entry = AuditTrail.EntryFor(sample, context);
            AuditActions.IsKnown(entry.Action).ShouldBeTrue(entry.Action);
            AuditLog.EventIdOf(entry.Action).ShouldBeLessThan(AuditLog.OtherEventId, entry.Action);
        }

        // Security events are recorded, not logged by the trail (their handlers log them): each has an entry too.
        foreach (var type in Enum.GetValues<SecurityEventType>())
        {
            var entry = AuditTrail.EntryFor(SecurityEvent.Record(type, now, "why", user.Id, user.Email), context);
            entry.Action.ShouldBe(AuditActions.ForSecurityEvent(type));
            AuditActions.IsKnown(entry.Action).ShouldBeTrue(entry.Action);
        }

        Enum.GetValues<SecurityEventType>().Select(AuditActions.ForSecurityEvent).ShouldAllBe(a => AuditActions.IsKnown(a));
    }

    [Fact]
    public void Should_give_every_action_the_filter_lists_a_label_written_for_people()
    {
        AuditActions.All.Where(a => !AuditActions.HasLabel(a)).ShouldBeEmpty();
        AuditActions.All.Select(AuditActions.Label).ShouldBeUnique();
        AuditActions.Label(AuditActions.ForSecurityEvent(SecurityEventType.MfaEnabled)).ShouldBe("MFA set up");
        AuditActions.Label(AuditActions.ForSecurityEvent(SecurityEventType.SecondFactorLockedOut)).ShouldBe("Codes locked out");
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Infrastructure.PostgreSql;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.PostgreSql;

/// <summary>
/// PostgreSQL's write lock (ADR 0031, <c>PostgreSql/WriteLock.cs</c>): a guard that reads and then writes in one
/// transaction sees every transaction that took the lock before it, as under SQLite's BEGIN IMMEDIATE; a wait past
/// <c>Database:LockTimeout</c> reaches the user as the database being unavailable.
/// </summary>
public sealed class WriteLockTests
{
    // pg_advisory_xact_lock(int, int) shows in pg_locks as classid = the first key, objid = the second, objsubid = 2.
    private static readonly string WaitingForTheWriteLock = $"""
        SELECT count(*) FROM pg_locks
        WHERE locktype = 'advisory' AND NOT granted AND classid = {WriteLock.ApplicationKey}
          AND objid = {WriteLock.WritesKey} AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    private static readonly Dictionary<string, string?> HalfASecondLockTimeout = new()
    {
        [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.LockTimeout)}"] = "00:00:00.5",
    };

    [Fact]
    public async Task Should_let_exactly_one_succeed_when_two_administrators_demote_each_other_at_once()
    {
        var gate = new GuardCountGate();
        var callers = new CallerPerFlow();
        await using var app = await TestApp.StartAsync(configureServices: services => services.AddSingleton<IInterceptor>(gate), provider: DatabaseProvider.PostgreSQL);
        var ada = await app.CreateUser("Ada", "ada@example.com", UserRole.Administrator);
        var grace = await app.CreateUser("Grace", "grace@example.com", UserRole.Administrator);
        app.Caller.ActAsCircuit(callers);
        gate.Open(app.Database.ConnectionString);

        // Each guard counts the other active administrators, then waits until the other command has counted too or
        // is waiting for the write lock: without the lock both would count one and both demotions would commit.
        var results = await Task.WhenAll(
            Task.Run(() => callers.SendAs(app, ada, new UpdateUserCommand(grace.Id, grace.Name, grace.Email, UserRole.Member, grace.Version))),
            Task.Run(() => callers.SendAs(app, grace, new UpdateUserCommand(ada.Id, ada.Name, ada.Email, UserRole.Member, ada.Version))));

        results.Count(r => r.IsSuccess).ShouldBe(1, string.Join("; ", results.Select(r => r.ToString())));
        results.Single(r => !r.IsSuccess).ShouldFailWith<ForbiddenError, long>().Message.ShouldBe(UserGuards.LastAdministrator);
        (await app.StoredUsersAsync()).Count(u => u.Role == UserRole.Administrator && u.Status == UserStatus.Active).ShouldBe(1);
        gate.Counted.ShouldBe(2);
    }

    [Fact]
    public async Task Should_answer_that_the_database_is_unavailable_when_the_write_lock_is_held_past_the_lock_timeout()
    {
        await using var app = await TestApp.StartAsync(settings: HalfASecondLockTimeout, provider: DatabaseProvider.PostgreSQL);
        var ada = await app.CreateUser("Ada", "ada@example.com", UserRole.Administrator);
        await app.CreateUser("Grace", "grace@example.com", UserRole.Administrator);
        var other = await HoldTheWriteLockAsync(app);

        var demote = new UpdateUserCommand(ada.Id, ada.Name, ada.Email, UserRole.Member, ada.Version);
        var refused = await app.SendFromNewScope(demote);

        refused.ShouldFailWith<UnavailableError, long>().ShouldBe(UnavailableError.ForCommand);
        (await app.StoredUsersAsync()).Single(u => u.Id == ada.Id).Role.ShouldBe(UserRole.Administrator);

        // The lock released, the same command goes through: nothing was left half-done.
        await other.DisposeAsync();
        (await app.SendFromNewScope(demote)).ShouldSucceed();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_save_a_change_that_needs_no_guard_while_another_transaction_holds_the_write_lock(bool bus)
    {
        // A save outside a transaction gets one of its own (EF Core's for several rows, or the outbox's with the bus):
        // one save, ordered by its row locks and Version check, so it never queues behind the write lock.
        await using var app = await TestApp.StartAsync(bus, HalfASecondLockTimeout, provider: DatabaseProvider.PostgreSQL);
        await using var other = await HoldTheWriteLockAsync(app);

        var created = await app.Send(new CreateUserCommand("Ada", "ada@example.com", UserRole.Member));

        created.ShouldSucceed();
        (await app.AuditEntriesAsync()).ShouldContain(e => e.TargetId == created.Value);
    }

    /// <summary>Another node's long write: a connection whose open transaction holds the write lock until it is disposed.</summary>
    private static async Task<DbConnection> HoldTheWriteLockAsync(TestApp app)
    {
        var connection = await app.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var take = TestDatabase.Command(
            connection, $"BEGIN; SELECT pg_advisory_xact_lock({WriteLock.ApplicationKey}, {WriteLock.WritesKey})");
        await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>The caller of each asynchronous flow: two administrators' circuits sending at the same time.</summary>
    private sealed class CallerPerFlow : ICurrentUser
    {
        private readonly AsyncLocal<Caller?> _caller = new();

        public ValueTask<Caller?> GetCallerAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_caller.Value);

        public async Task<Result<long>> SendAs(TestApp app, UserDetails user, UpdateUserCommand command)
        {
            _caller.Value = new Caller(user.Id, Guid.CreateVersion7(), user.Email, user.Role, MustChangePassword: false)
            {
                ReauthenticatedAt = app.Clock.GetUtcNow().UtcDateTime,
            };
            return await app.SendFromNewScope(command);
        }
    }

    /// <summary>
    /// Holds the first last-administrator count (<see cref="UserGuards"/>) until a second one has run or another
    /// transaction waits for the write lock, so the two demotions overlap every time rather than by luck.
    /// </summary>
    private sealed class GuardCountGate : DbCommandInterceptor
    {
        private string? _connectionString;
        private int _counted;

        public int Counted => _counted;

        public void Open(string connectionString) => _connectionString = connectionString;

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (_connectionString is not null && IsGuardCount(command.CommandText) && Interlocked.Increment(ref _counted) == 1)
            {
                await WaitForTheOtherAsync(_connectionString, cancellationToken);
            }

            return result;
        }

        private static bool IsGuardCount(string sql) =>
            sql.Contains("count(*)", StringComparison.Ordinal) && sql.Contains("FROM \"Users\"", StringComparison.Ordinal)
            && sql.Contains("\"Role\"", StringComparison.Ordinal);

        private async Task WaitForTheOtherAsync(string connectionString, CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var waiting = new NpgsqlCommand(WaitingForTheWriteLock, connection);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromMinutes(2));
            while (Volatile.Read(ref _counted) < 2 && (long)(await waiting.ExecuteScalarAsync(deadline.Token))! == 0)
            {
                await Task.Delay(10, deadline.Token);
            }
        }
    }
}

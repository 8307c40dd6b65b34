using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>
/// Issue 11, fault 6: "database is locked" never reaches an administrator. Eight writers and two readers go
/// through the real handlers for a bounded time (5 s; set FAULT_LOAD_SECONDS=60 for the minute): every
/// command succeeds or says, retryably, that the database is busy; nothing acknowledged is lost.
/// </summary>
[OneProvider("About SQLite's file lock (busy_timeout); PostgreSQL's lock timeout has its own tests.")]
public sealed class DatabaseLockedTests : AppTests
{
    private const int Writers = 8;
    private const int Readers = 2;

    private static TimeSpan Duration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("FAULT_LOAD_SECONDS"), out var seconds) ? seconds : 5);

    [Fact]
    public async Task Should_answer_every_command_of_eight_writers_and_two_readers_and_lose_none()
    {
        var acknowledged = new ConcurrentDictionary<Guid, (string Name, long Version)>();
        var outcomes = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource(Duration);

        void Count(string what, IOutcome outcome)
        {
            var kind = outcome.Error is null ? "ok" : outcome.Error.GetType().Name;
            outcomes.AddOrUpdate($"{what} {kind}", 1, (_, n) => n + 1);
            if (outcome.Error is UnavailableError unavailable)
            {
                unavailable.Message.ShouldContain("Try again");
            }
            else if (outcome.Error is not null)
            {
                throw new ShouldAssertException($"{what} failed with {outcome.Error}");
            }
        }

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var mine = new List<Guid>();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                if (n % 2 == 0 || mine.Count == 0)
                {
                    var name = $"Writer {writer} user {n}";
                    var created = await App.SendFromNewScope(new CreateUserCommand(name, $"w{writer}.u{n}@locked.example", UserRole.Member));
                    Count("create", created);
                    if (created.IsSuccess)
                    {
                        acknowledged[created.Value] = (name, 1);
                        mine.Add(created.Value);
                    }
                }
                else
                {
                    var id = mine[n % mine.Count];
                    var (_, version) = acknowledged[id];
                    var name = $"Writer {writer} edit {n}";
                    var updated = await App.SendFromNewScope(new UpdateUserCommand(id, name, $"w{writer}.e{n}@locked.example", UserRole.Member, version));
                    Count("update", updated);
                    if (updated.IsSuccess)
                    {
                        acknowledged[id] = (name, updated.Value);
                    }
                }
            }
        })).ToList();
        var readers = Enumerable.Range(0, Readers).Select(reader => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                await using var scope = App.Services.CreateAsyncScope();
                var mediator = scope.ServiceProvider.GetRequiredService<Mediator.IMediator>();
                Count("list", await mediator.Send(new ListUsersQuery(Search: n % 3 == 0 ? "writer" : null, Page: 1 + (n % 4)), CancellationToken.None));
                // One snapshot for both the count and the pick: the writers add users between two reads of the dictionary.
                var known = acknowledged.Keys.ToArray();
                if (known.Length > 0)
                {
                    Count("get", await mediator.Send(new GetUserQuery(known[n % known.Length]), CancellationToken.None));
                }
            }
        })).ToList();

        await Task.WhenAll([.. writers, .. readers]);

        TestContext.Current.SendDiagnosticMessage(
            $"{Writers} writers, {Readers} readers, {Duration.TotalSeconds} s: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
        outcomes.Keys.ShouldContain("create ok");
        outcomes.Keys.ShouldContain("update ok");
        var stored = (await App.StoredUsersAsync()).ToDictionary(u => u.Id);
        stored.Count.ShouldBe(acknowledged.Count);
        foreach (var (id, (name, version)) in acknowledged)
        {
            (stored[id].Name, stored[id].Version).ShouldBe((name, version), $"user {id}");
        }
    }
}

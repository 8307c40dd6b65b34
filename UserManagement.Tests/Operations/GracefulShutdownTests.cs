using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Operations;

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Should_let_a_command_in_flight_finish_before_the_host_stops()
    {
        await using var sandbox = new HostSandbox();
        var logs = new LogCapture();
        var dataFile = sandbox.PathOf("drain.db");
        var host = sandbox.Start(dataFile, logs: logs);
        var scope = await host.AdministratorScopeAsync(HostSandbox.AdminEmail, HostSandbox.AdminPassword);
        var inFlight = host.Services.GetRequiredService<CommandsInFlight>();

        // Another writer holds the write lock, so the command waits inside the database until the test lets go.
        await using var blocker = new SqliteConnection($"Data Source={dataFile};Pooling=False");
        await blocker.OpenAsync(TestContext.Current.CancellationToken);
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // Sent the way a page sends it: with no cancellation token of the host's. (SQLite waits synchronously, hence Task.Run.)
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        var create = Task.Run(() => sender.Send(new CreateUserCommand("Late", "late@example.com", UserRole.Member), CancellationToken.None).AsTask());
        await Condition.WaitUntilAsync(() => inFlight.Count == 1, TimeSpan.FromSeconds(30), "the command to be in flight");

        var stopping = sandbox.StopAsync(host);
        await logs.WaitForLineAsync("waiting for 1 command(s) in flight to finish", TimeSpan.FromSeconds(30));

        stopping.IsCompleted.ShouldBeFalse("the host waits for the command");
        create.IsCompleted.ShouldBeFalse();
        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        (await create).IsSuccess.ShouldBeTrue();
        await stopping;
        await scope.DisposeAsync();
        logs.Lines.ShouldContain(line => line.Contains("every command in flight has finished", StringComparison.Ordinal));
        await using var check = new SqliteConnection($"Data Source={dataFile};Pooling=False");
        await check.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM Users WHERE Email = 'late@example.com'";
        ((long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!).ShouldBe(1);
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Operations;
using UserManagement.Tests.Support;
using UserManagement.Tests.Support.Databases;

namespace UserManagement.Tests.Faults;

/// <summary>
/// PostgreSQL going away while the app runs (stopped, or killed as a failover would), on a server of the test's own:
/// every message gets the same "busy or unreachable, try again" as on SQLite, the readiness check is red, nothing is
/// half-written, and everything works again, with no restart of the app, once the server is back.
/// </summary>
public sealed class PostgreSqlConnectionFaultTests : IAsyncLifetime
{
    private ThrowawayPostgreSql? _server;
    private TestApp _app = null!;

    private ThrowawayPostgreSql Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await ThrowawayPostgreSql.StartOwnAsync();
        await using (var connection = new NpgsqlConnection(Server.MaintenanceConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand("""CREATE DATABASE "app" """, connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(Server.MaintenanceConnectionString) { Database = "app" };
        _app = await TestApp.StartAsync(database: new ServerTestDatabase(connectionString.ConnectionString));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    private async Task<HealthStatus> ReadinessAsync() =>
        (await _app.Get<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains(HealthTags.Ready), TestContext.Current.CancellationToken)).Status;

    private Task<Result<Guid>> Create(string name) =>
        _app.SendFromNewScope(new CreateUserCommand(name, $"{Guid.NewGuid():N}@gone.example", UserRole.Member));

    [Theory]
    [InlineData("fast")]
    [InlineData("immediate")]
    public async Task Should_say_the_database_is_unavailable_while_the_server_is_down_and_recover_when_it_is_back(string stop)
    {
        var ada = await _app.CreateUser("Ada", "ada@example.com");
        (await _app.Send(new ListUsersQuery())).ShouldSucceed();

        await Server.PauseAsync(stop);

        (await Create("Nobody")).Error.ShouldBe(UnavailableError.ForCommand);
        (await _app.SendFromNewScope(new UpdateUserCommand(ada.Id, "Ada King", ada.Email, ada.Role, ada.Version))).Error.ShouldBe(UnavailableError.ForCommand);
        (await _app.Send(new GetUserQuery(ada.Id))).Error.ShouldBe(UnavailableError.ForQuery);
        (await _app.Send(new ListUsersQuery())).Error.ShouldBe(UnavailableError.ForQuery);
        (await ReadinessAsync()).ShouldBe(HealthStatus.Unhealthy);
        _app.Logs.Lines.ShouldContain(line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("could not reach the database", StringComparison.Ordinal));

        await Server.ResumeAsync();

        await Condition.WaitUntilAsync(async () => await ReadinessAsync() == HealthStatus.Healthy,
            TimeSpan.FromMinutes(2), "the readiness check to see the server again");
        var back = await Create("Back again");
        back.ShouldSucceed();
        (await _app.Send(new GetUserQuery(ada.Id))).ShouldSucceed().Name.ShouldBe("Ada", "the update made while the server was down wrote nothing");
        var stored = await _app.StoredUsersAsync();
        stored.Select(u => u.Name).Order().ToList().ShouldBe(["Ada", "Back again"], "nothing half-written");
        (await _app.Send(new ListUsersQuery())).ShouldSucceed().TotalCount.ShouldBe(2, "the read model agrees with the users");
        (await _app.AuditEntriesAsync()).Count(e => e.Action == "UserCreated").ShouldBe(2, "one audit entry per stored change, none for the refused ones");
    }
}

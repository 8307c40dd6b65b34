using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace UserManagement.Tests.Support.Databases;

/// <summary>The test run's PostgreSQL server, on a real server: template once, a fresh clone per test, dropped after.</summary>
public sealed class PostgreSqlServerTests(PostgreSqlServer server)
{
    // What every clone must start with: one table and one row.
    private static readonly PostgreSqlTemplate Notes = new("server_tests", CreateNotesAsync);

    [Fact]
    public async Task Should_start_with_the_template_table_and_its_row_when_a_database_is_cloned()
    {
        await using var database = await server.CreateDatabaseAsync(Notes);

        (await ScalarAsync<string>(database.ConnectionString, "SELECT string_agg(text, ',') FROM notes")).ShouldBe("from the template");
    }

    [Fact]
    public async Task Should_keep_a_row_in_its_own_database_when_two_are_cloned_from_one_template()
    {
        await using var first = await server.CreateDatabaseAsync(Notes);
        await using var second = await server.CreateDatabaseAsync(Notes);

        await ScalarAsync<int>(first.ConnectionString, "INSERT INTO notes (text) VALUES ('only in the first') RETURNING id");

        (await ScalarAsync<long>(first.ConnectionString, "SELECT count(*) FROM notes WHERE text = 'only in the first'")).ShouldBe(1);
        (await ScalarAsync<long>(second.ConnectionString, "SELECT count(*) FROM notes WHERE text = 'only in the first'")).ShouldBe(0);
        (await ScalarAsync<long>(second.ConnectionString, "SELECT count(*) FROM notes")).ShouldBe(1);
        first.Name.ShouldNotBe(second.Name);
    }

    [Fact]
    public async Task Should_drop_the_database_when_it_is_disposed_while_a_connection_to_it_is_still_open()
    {
        var database = await server.CreateDatabaseAsync(Notes);
        await ScalarAsync<long>(database.ConnectionString, "SELECT count(*) FROM notes");
        await using var stillOpen = new NpgsqlConnection(database.ConnectionString);
        await stillOpen.OpenAsync(TestContext.Current.CancellationToken);

        await database.DisposeAsync();

        var maintenance = await server.MaintenanceConnectionStringAsync();
        (await ScalarAsync<long>(maintenance, $"SELECT count(*) FROM pg_database WHERE datname = '{database.Name}'")).ShouldBe(0);
    }

    [Fact]
    public async Task Should_prepare_the_template_once_when_many_tests_ask_for_it_at_the_same_time()
    {
        var preparations = 0;
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var template = new PostgreSqlTemplate($"parallel_{Guid.NewGuid():N}"[..30], async (connectionString, cancellation) =>
        {
            Interlocked.Increment(ref preparations);
            await released.Task.WaitAsync(cancellation);
            await CreateNotesAsync(connectionString, cancellation);
        });
        // With the server already up, each call has asked for the template by the time it returns its task.
        var maintenance = await server.MaintenanceConnectionStringAsync();

        var asking = new Task<PostgreSqlTestDatabase>[8];
        Parallel.For(0, asking.Length, i => asking[i] = server.CreateDatabaseAsync(template));
        released.SetResult();
        var databases = await Task.WhenAll(asking);

        try
        {
            preparations.ShouldBe(1);
            databases.Select(d => d.Name).Distinct().Count().ShouldBe(asking.Length);
            foreach (var database in databases)
            {
                (await ScalarAsync<long>(database.ConnectionString, "SELECT count(*) FROM notes")).ShouldBe(1);
            }

            (await ScalarAsync<long>(maintenance, $"SELECT count(*) FROM pg_database WHERE datname LIKE 'um_template_{template.Name}_%'"))
                .ShouldBe(1);
        }
        finally
        {
            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Should_clone_the_template_when_its_preparation_left_connections_open()
    {
        var leftOpen = new List<NpgsqlConnection>();
        var template = new PostgreSqlTemplate($"left_open_{Guid.NewGuid():N}"[..30], async (connectionString, cancellation) =>
        {
            await CreateNotesAsync(connectionString, cancellation);
            // One connection never closed, and one idle in a pool of its own, as a migrator or a host might leave them.
            var pooled = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true }.ConnectionString;
            foreach (var connection in new[] { new NpgsqlConnection(connectionString), new NpgsqlConnection(pooled) })
            {
                await connection.OpenAsync(cancellation);
                leftOpen.Add(connection);
            }

            await leftOpen[1].CloseAsync();
        });

        try
        {
            await using var database = await server.CreateDatabaseAsync(template);

            (await ScalarAsync<long>(database.ConnectionString, "SELECT count(*) FROM notes")).ShouldBe(1);
        }
        finally
        {
            foreach (var connection in leftOpen)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Should_clone_the_template_when_something_keeps_reconnecting_to_it()
    {
        using var stop = new CancellationTokenSource();
        Task reconnecting = Task.CompletedTask;
        var template = new PostgreSqlTemplate($"reconnecting_{Guid.NewGuid():N}"[..30], async (connectionString, cancellation) =>
        {
            await CreateNotesAsync(connectionString, cancellation);
            var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            reconnecting = KeepConnectedAsync(connectionString, connected, stop.Token);
            await connected.Task.WaitAsync(cancellation);
        });

        try
        {
            await using var database = await server.CreateDatabaseAsync(template);

            (await ScalarAsync<long>(database.ConnectionString, "SELECT count(*) FROM notes")).ShouldBe(1);
        }
        finally
        {
            await stop.CancelAsync();
            await reconnecting;
        }
    }

    // Like a background service left polling: whenever its connection is cut, it opens another.
    private static async Task KeepConnectedAsync(string connectionString, TaskCompletionSource connected, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stop);
                connected.TrySetResult();
                while (true)
                {
                    await using var poll = new NpgsqlCommand("SELECT pg_sleep(0.02)", connection);
                    await poll.ExecuteNonQueryAsync(stop);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // Cut off, or refused: try again, as such a service would.
                await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task Should_never_force_writes_to_disk_but_keep_what_it_committed_and_room_for_many_pools_when_the_tests_start_the_server()
    {
        var maintenance = await server.MaintenanceConnectionStringAsync();
        if (PostgreSqlSource.Find(Environment.GetEnvironmentVariable) is PostgreSqlSource.Existing)
        {
            Assert.Skip($"{PostgreSqlSource.ConnectionStringVariable} names a server of your own: it keeps its own settings.");
        }

        var settings = await ScalarAsync<string>(maintenance, """
            SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings
            WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'max_connections', 'jit', 'listen_addresses')
            """);

        settings.ShouldBe("fsync=off full_page_writes=off jit=off listen_addresses=127.0.0.1 max_connections=300 synchronous_commit=on");
    }

    [Fact]
    public async Task Should_stop_a_throwaway_server_and_delete_its_folder_when_it_is_stopped()
    {
        var binaries = await RequireBinariesAsync();
        var throwaway = await ThrowawayPostgreSql.StartAsync(binaries.BinFolder);
        (await ScalarAsync<int>(throwaway.MaintenanceConnectionString, "SELECT 1")).ShouldBe(1);

        await throwaway.StopAsync();

        Directory.Exists(throwaway.Folder).ShouldBeFalse();
        await ShouldRefuseAsync(throwaway.MaintenanceConnectionString);
    }

    [Fact]
    public async Task Should_stop_the_server_of_a_run_that_died_when_the_next_throwaway_server_starts()
    {
        var binaries = await RequireBinariesAsync();
        var abandoned = await ThrowawayPostgreSql.StartAsync(binaries.BinFolder);
        using (var ended = Process.Start(new ProcessStartInfo("true"))!)
        {
            await ended.WaitForExitAsync(TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(abandoned.Folder, ThrowawayPostgreSql.OwnerFile),
                ended.Id.ToString(CultureInfo.InvariantCulture), TestContext.Current.CancellationToken);
        }

        var next = await ThrowawayPostgreSql.StartAsync(binaries.BinFolder);
        await next.StopAsync();

        Directory.Exists(abandoned.Folder).ShouldBeFalse();
        await ShouldRefuseAsync(abandoned.MaintenanceConnectionString);
    }

    private async Task<PostgreSqlSource.Binaries> RequireBinariesAsync()
    {
        await server.MaintenanceConnectionStringAsync();
        return PostgreSqlSource.Find(Environment.GetEnvironmentVariable) as PostgreSqlSource.Binaries
            ?? throw Xunit.Sdk.SkipException.ForSkip(
                $"{PostgreSqlSource.ConnectionStringVariable} names a server of your own: no throwaway server to start.");
    }

    private static async Task ShouldRefuseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var refused = new NpgsqlConnection(builder.ConnectionString);
        await Should.ThrowAsync<NpgsqlException>(() => refused.OpenAsync(TestContext.Current.CancellationToken));
    }

    private static async Task CreateNotesAsync(string connectionString, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(
            "CREATE TABLE notes (id serial PRIMARY KEY, text text NOT NULL); INSERT INTO notes (text) VALUES ('from the template');",
            connection);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}

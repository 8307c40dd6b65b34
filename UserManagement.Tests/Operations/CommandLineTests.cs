using System.Diagnostics;
using UserManagement.Infrastructure.Sqlite;
using UserManagement.Tests.Support;
using UserManagement.Web.Verbs;

namespace UserManagement.Tests.Operations;

/// <summary>The backup and restore verbs as an operator types them.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly HostSandbox _sandbox = new();
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _output.DisposeAsync();
        await _error.DisposeAsync();
    }

    private Task<int?> Run(params string[] args) => AppVerbs.TryRunAsync(args, _output, _error);

    private static string Database(string dataFile) => $"--ConnectionStrings:Default=Data Source={dataFile}";

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://127.0.0.1:5000")]
    [InlineData("--environment=Production")]
    public async Task Should_leave_anything_but_a_verb_to_the_web_app(params string[] args) =>
        (await Run(args)).ShouldBeNull();

    [Theory]
    [InlineData("backup")]
    [InlineData("backup", "--to")]
    [InlineData("restore")]
    public async Task Should_show_the_usage_and_exit_with_2_when_the_path_is_missing(params string[] args)
    {
        (await Run(args)).ShouldBe(2);

        _error.ToString().ShouldStartWith("Usage: UserManagement.Web " + args[0]);
    }

    [Theory]
    [InlineData("backup", "--to")]
    [InlineData("restore", "--from")]
    public async Task Should_point_to_the_servers_own_backup_and_exit_with_2_when_the_provider_is_PostgreSQL(string verb, string option)
    {
        var path = _sandbox.PathOf("never-written.backup");

        (await Run(verb, option, path, "--Database:Provider=PostgreSQL", "--ConnectionStrings:Default=Host=db.invalid;Database=app")).ShouldBe(2);

        _error.ToString().ShouldStartWith($"{verb} works on the SQLite file only. With Database:Provider=PostgreSQL");
        _error.ToString().ShouldContain("pg_dump");
        File.Exists(path).ShouldBeFalse();
    }

    [Fact]
    public async Task Should_back_up_the_configured_database_and_restore_it_once_the_app_is_stopped()
    {
        var dataFile = _sandbox.PathOf("app.db");
        var host = _sandbox.Start(dataFile);
        var backup = _sandbox.PathOf("nightly.backup");

        (await Run("backup", "--to", backup, Database(dataFile))).ShouldBe(0, _error.ToString());
        (await Run("restore", "--from", backup, Database(dataFile))).ShouldBe(1);
        _error.ToString().ShouldContain("Restore refused: The app is running on");
        await _sandbox.StopAsync(host);
        (await Run("restore", "--from", backup, Database(dataFile))).ShouldBe(0, _error.ToString());

        var output = _output.ToString();
        output.ShouldContain($"Backup written to {backup}: integrity check ok.");
        output.ShouldContain("Users: 1 row(s)");
        output.ShouldContain("Restored: integrity check ok.");
        output.ShouldContain($"The database it replaced was saved as {dataFile}.before-restore-");
        DatabaseBackup.Verify(dataFile).RowsByTable["Users"].ShouldBe(1);
    }

    [Fact]
    public async Task Should_run_a_verb_from_the_published_app_and_exit_without_serving()
    {
        var dataFile = _sandbox.PathOf("served.db");
        await _sandbox.StopAsync(_sandbox.Start(dataFile));
        var backup = _sandbox.PathOf("from-the-command-line.backup");
        var web = Path.Combine(Path.GetDirectoryName(typeof(Program).Assembly.Location)!, "UserManagement.Web.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { web, "backup", "--to", backup },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _sandbox.Directory,
        };
        start.Environment["ConnectionStrings__Default"] = $"Data Source={dataFile}";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        process.ExitCode.ShouldBe(0, await error);
        (await output).ShouldContain("integrity check ok");
        (await output).ShouldNotContain("Now listening");
        DatabaseBackup.Verify(backup).RowsByTable["Users"].ShouldBe(1);
    }
}

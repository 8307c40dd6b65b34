using System.Diagnostics;
using UserManagement.Application.BulkActions;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Bus;
using UserManagement.Tests.Support;
using Wolverine.Runtime.Handlers;

namespace UserManagement.Tests.Bus;

/// <summary>How the bus is set up: its handlers, its generated code, and the mediator beside it.</summary>
public sealed class BusSetupTests
{
    [Fact]
    public async Task Should_leave_the_mediators_handlers_to_the_mediator_and_run_both()
    {
        await using var app = await TestApp.StartAsync(bus: true);

        var busMessages = app.Get<HandlerGraph>().AllChains().Select(c => c.MessageType).ToList();
        busMessages.ShouldBe([typeof(ApplyBulkUserActionJob), typeof(ImportUsersJob), typeof(DeliverDomainEvents)], ignoreOrder: true, "the bus handles background messages and domain events only, never a mediator message");

        var requester = await app.ActAsStoredAdministratorAsync();
        (await app.Send(new CreateUserCommand("Ada", "ada@example.com", UserRole.Member))).IsSuccess.ShouldBeTrue();
        var jobId = (await app.Send(new StartImportCommand("one.csv", ImportFiles.ValidRows(1)))).Value;
        (await app.WaitUntilFinishedAsync(jobId)).Status.ShouldBe(JobStatus.Completed);
        (await app.StoredUsersAsync()).Count(u => u.Id != requester.Id).ShouldBe(2);
    }

    [Fact]
    public void Should_have_generated_code_for_exactly_the_background_handlers()
    {
        GeneratedCodeCheck.FindProblems().ShouldBeEmpty();
        GeneratedCodeCheck.BackgroundHandlers().ShouldBe([typeof(ApplyBulkUserActionJobHandler), typeof(ImportUsersJobHandler)], ignoreOrder: true);
        typeof(GeneratedCodeCheck).Assembly.GetType(GeneratedCodeCheck.RegistryTypeName).ShouldNotBeNull();
    }

    [Fact]
    public void Should_keep_the_bus_out_of_the_application()
    {
        typeof(User).Assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .ShouldNotContain(name => name.StartsWith("Wolverine", StringComparison.Ordinal) || name.StartsWith("JasperFx", StringComparison.Ordinal));
    }

    /// <summary>
    /// `codegen write` into a temp folder gives exactly the committed files: the generated code is current. When
    /// this fails, run `dotnet run --project UserManagement.Web -- codegen write` and commit the result.
    /// </summary>
    [Fact]
    public async Task Should_have_committed_the_code_that_codegen_writes_today()
    {
        using var output = new TempFolder("codegen");
        var (exitCode, printed) = await RunWebAsync(["codegen", "write"], new()
        {
            ["Bus__GeneratedCodePath"] = output.Path,
            ["ConnectionStrings__Default"] = $"Data Source={output.File("codegen.db")}",
        });

        exitCode.ShouldBe(0, printed);
        var committed = Repository.File("UserManagement.Infrastructure", "Internal", "Generated");
        var expected = Files(committed);
        var actual = Files(output.Path);
        actual.Keys.ShouldBe(expected.Keys, ignoreOrder: true, GeneratedCodeCheck.Fix);
        foreach (var (file, text) in actual)
        {
            text.ShouldBe(expected[file], $"{file} is stale. {GeneratedCodeCheck.Fix}");
        }
    }

    private static Dictionary<string, string> Files(string root) =>
        Directory.Exists(root)
            ? Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"))
            : [];

    /// <summary>Runs the built web app with a command line, as an operator would, and returns its exit code and output.</summary>
    internal static async Task<(int ExitCode, string Output)> RunWebAsync(string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.File("UserManagement.Web"),
        };
        start.ArgumentList.Add(Repository.WebDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}

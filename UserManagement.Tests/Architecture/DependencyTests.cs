using System.Xml.Linq;
using UserManagement.Application.Users;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Architecture;

/// <summary>Dependencies point inward: Web -> Application <- Infrastructure.</summary>
public sealed class DependencyTests
{
    private static readonly string[] ForbiddenInApplication =
    [
        "UserManagement.Infrastructure",
        "UserManagement.Web",
        "Microsoft.EntityFrameworkCore.Sqlite",
        "Microsoft.EntityFrameworkCore.Relational",
        "Microsoft.Data.Sqlite",
        "Npgsql",
        "Microsoft.AspNetCore",
        "MudBlazor",
        "Wolverine",
        "JasperFx",
    ];

    [Fact]
    public void Should_not_let_the_application_assembly_reference_infrastructure_web_or_a_database_provider()
    {
        var references = typeof(User).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        references.ShouldContain("Mediator"); // Mediator.Abstractions ships as Mediator.dll
        references.Where(r => ForbiddenInApplication.Any(f => r.StartsWith(f, StringComparison.Ordinal)))
            .ShouldBeEmpty();
    }

    [Fact]
    public void Should_keep_the_application_project_free_of_project_references_and_provider_packages()
    {
        var project = XDocument.Load(Repository.File("UserManagement.Application", "UserManagement.Application.csproj"));

        project.Descendants("ProjectReference").ShouldBeEmpty();
        var packages = project.Descendants("PackageReference").Select(p => (string)p.Attribute("Include")!).ToList();
        packages.ShouldNotBeEmpty();
        packages.Where(p => ForbiddenInApplication.Any(f => p.StartsWith(f, StringComparison.Ordinal))).ShouldBeEmpty();
    }

    [Fact]
    public void Should_not_let_infrastructure_reference_the_web_project()
    {
        typeof(Infrastructure.AppDbContext).Assembly.GetReferencedAssemblies()
            .ShouldNotContain(a => a.Name == "UserManagement.Web");
    }

    [Fact]
    public void Should_keep_each_use_case_with_its_validator_and_handler_in_one_file()
    {
        var messages = typeof(User).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Command", StringComparison.Ordinal) || t.Name.EndsWith("Query", StringComparison.Ordinal))
            .ToList();
        messages.ShouldNotBeEmpty();

        foreach (var message in messages)
        {
            var useCase = message.Name[..^(message.Name.EndsWith("Command", StringComparison.Ordinal) ? "Command".Length : "Query".Length)];
            var file = Repository.File("UserManagement.Application", message.Namespace!.Split('.').Last(), useCase + ".cs");
            File.Exists(file).ShouldBeTrue($"{message.Name} lives in {useCase}.cs");
            var text = File.ReadAllText(file);
            text.ShouldContain($"class {message.Name}Handler", customMessage: $"{message.Name}Handler in {useCase}.cs");
            text.ShouldContain($"class {message.Name}Validator", customMessage: $"{message.Name}Validator in {useCase}.cs");
            Type.GetType($"{message.FullName}Handler, {message.Assembly.FullName}").ShouldNotBeNull();
        }
    }

}

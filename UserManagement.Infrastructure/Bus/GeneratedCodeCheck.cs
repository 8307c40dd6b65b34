using System.Reflection;
using Microsoft.Extensions.Hosting;
using UserManagement.Application.Jobs;

namespace UserManagement.Infrastructure.Bus;

/// <summary>
/// Refuses to start when the bus's pre-generated handler code (Internal/Generated) does not match the handlers in
/// the code: the bus loads only generated types, so a handler added without regenerating would never run. A
/// handler whose constructor or Handle method changed already fails the build, because the generated code calls
/// them directly. Fix either with <c>dotnet run --project UserManagement.Web -- codegen write</c>.
/// </summary>
public sealed class GeneratedCodeCheck : IHostedService
{
    public const string RegistryTypeName = "Internal.Generated.WolverineHandlers.GeneratedHandlerRegistry";
    public const string Fix = "Run `dotnet run --project UserManagement.Web -- codegen write` and commit UserManagement.Infrastructure/Internal/Generated.";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = FindProblems();
        return problems.Count == 0
            ? Task.CompletedTask
            : throw new InvalidOperationException($"The bus's generated handler code is stale: {string.Join(" ", problems)} {Fix}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>What is wrong with the generated code, in words; empty when it is current.</summary>
    public static IReadOnlyList<string> FindProblems()
    {
        var expected = BackgroundHandlers().Append(typeof(DeliverDomainEventsHandler)).ToHashSet();
        var generated = GeneratedHandlerTypes().ToHashSet();
        var problems = new List<string>();
        problems.AddRange(expected.Except(generated).Select(t => $"{t.Name} has no generated code."));
        problems.AddRange(generated.Except(expected).Select(t => $"{t.Name} has generated code but is no longer a handler of the bus."));
        var handled = expected.SelectMany(HandledMessages).ToHashSet();
        problems.AddRange(typeof(IBackgroundMessage).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBackgroundMessage).IsAssignableFrom(t) && !handled.Contains(t))
            .Select(t => $"{t.Name} has no handler."));
        return problems;
    }

    /// <summary>The bus's handler convention: a public class named *Handler whose Handle method takes a background message.</summary>
    public static IEnumerable<Type> BackgroundHandlers() =>
        typeof(IBackgroundMessage).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true }
                && t.Name.EndsWith("Handler", StringComparison.Ordinal)
                && !BusRegistration.IsMediatorType(t)
                && HandledMessages(t).Any());

    private static IEnumerable<Type> HandledMessages(Type handler) =>
        handler.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => m.Name is "Handle" or "HandleAsync")
            .Select(m => m.GetParameters().FirstOrDefault()?.ParameterType)
            .OfType<Type>()
            .Where(typeof(IBackgroundMessage).IsAssignableFrom);

    private static IEnumerable<Type> GeneratedHandlerTypes()
    {
        var registry = typeof(GeneratedCodeCheck).Assembly.GetType(RegistryTypeName);
        if (registry is null)
        {
            return [];
        }

        var instance = Activator.CreateInstance(registry)!;
        return (Type[])registry.GetMethod("HandlerTypes")!.Invoke(instance, null)!;
    }
}

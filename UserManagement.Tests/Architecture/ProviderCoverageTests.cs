using System.Reflection;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Architecture;

/// <summary>
/// Every class of app tests runs on both providers, as a pair of nested <c>OnSqlite</c> / <c>OnPostgreSql</c> classes of
/// one abstract class, or says why it runs on one (<see cref="OneProviderAttribute"/>): a new class cannot quietly leave
/// PostgreSQL out.
/// </summary>
public sealed class ProviderCoverageTests
{
    private static readonly Type[] AppTestClasses = [.. typeof(ProviderCoverageTests).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(AppTests)))];

    [Fact]
    public void Should_run_every_concrete_class_of_app_tests_on_both_providers_or_say_why_not()
    {
        var unaccounted = AppTestClasses
            .Where(t => !t.IsAbstract && t.GetCustomAttribute<OneProviderAttribute>() is null && !IsProviderChoice(t))
            .Select(t => t.FullName)
            .ToList();

        unaccounted.ShouldBeEmpty(
            "Make the class abstract, taking the DatabaseProvider, with nested `public sealed class OnSqlite() : X(DatabaseProvider.Sqlite);` "
            + "and `OnPostgreSql`, or mark it [OneProvider(\"why\")].");
    }

    [Fact]
    public void Should_give_every_abstract_class_of_app_tests_both_providers()
    {
        var halfDone = AppTestClasses
            .Where(t => t.IsAbstract && t.GetNestedTypes().Any(IsProviderChoice))
            .Where(t => t.GetNestedTypes().Count(IsProviderChoice) != 2)
            .Select(t => t.FullName)
            .ToList();

        halfDone.ShouldBeEmpty();
    }

    [Fact]
    public void Should_leave_postgresql_out_only_where_a_reason_is_given()
    {
        AppTestClasses.Select(t => t.GetCustomAttribute<OneProviderAttribute>()).OfType<OneProviderAttribute>()
            .ShouldAllBe(a => a.Why.Length > 20);
        AppTestClasses.Count(t => t.Name == "OnPostgreSql").ShouldBeGreaterThan(20);
    }

    // A nested class of the abstract class it derives from, named for the provider it chooses.
    private static bool IsProviderChoice(Type type) =>
        type.DeclaringType is { IsAbstract: true } outer && type.BaseType == outer
        && type.Name is "OnSqlite" or "OnPostgreSql";
}

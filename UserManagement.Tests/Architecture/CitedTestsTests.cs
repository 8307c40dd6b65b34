using System.Reflection;
using System.Text.RegularExpressions;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Architecture;

/// <summary>
/// The docs prove their promises by naming tests (docs/security.md maps each ASVS requirement to them). A test renamed,
/// moved or deleted leaves a promise with no proof, so every test the docs cite must exist in this assembly:
/// <c>`SomeTests`</c>, <c>`SomeTests.Should_x`</c>, and a bare <c>`Should_x`</c>, which belongs to the class cited
/// last before it in the same paragraph or table row (or, with none, to any test class).
/// </summary>
public sealed partial class CitedTestsTests
{
    private static readonly Dictionary<string, HashSet<string>> TestClasses = typeof(CitedTestsTests).Assembly.GetTypes()
        .Where(t => t.Name.EndsWith("Tests", StringComparison.Ordinal))
        .GroupBy(t => t.Name)
        .ToDictionary(g => g.Key, g => g.SelectMany(MethodNames).ToHashSet(StringComparer.Ordinal));

    private static IEnumerable<string> MethodNames(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(m => m.Name);

    private static IEnumerable<string> Documents() =>
        [Repository.File("README.md"), .. Directory.GetFiles(Repository.File("docs"), "*.md", SearchOption.AllDirectories)];

    /// <summary>Each citation in <paramref name="text"/>: the class named (or carried from earlier in the paragraph) and the method, if any.</summary>
    internal static IEnumerable<(int Line, string? Class, string? Method)> Citations(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        string? current = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]) || lines[i].TrimStart().StartsWith('|'))
            {
                current = null;
            }

            foreach (Match match in Citation().Matches(lines[i]))
            {
                if (match.Groups["class"].Success)
                {
                    current = match.Groups["class"].Value;
                    yield return (i + 1, current, match.Groups["method"].Success ? match.Groups["method"].Value : null);
                }
                else
                {
                    yield return (i + 1, current, match.Groups["bare"].Value);
                }
            }
        }
    }

    [Fact]
    public void Should_find_each_test_the_docs_cite_in_this_assembly()
    {
        var missing = new List<string>();
        var cited = 0;
        foreach (var document in Documents())
        {
            foreach (var (line, type, method) in Citations(File.ReadAllText(document)))
            {
                cited++;
                var found = type is null
                    ? TestClasses.Values.Any(methods => methods.Contains(method!))
                    : TestClasses.TryGetValue(type, out var methods) && (method is null || methods.Contains(method));
                if (!found)
                {
                    missing.Add($"{Path.GetRelativePath(Repository.Root, document)}:{line} {type}{(type is not null && method is not null ? "." : "")}{method}");
                }
            }
        }

        cited.ShouldBeGreaterThan(100, "the docs cite over a hundred tests; fewer means the citations were not read");
        missing.ShouldBeEmpty("cited in the docs, but no such test: rename the citation with the test, or cite the test that now proves it");
    }

    [Fact]
    public void Should_read_a_bare_method_as_one_of_the_class_cited_before_it_in_the_same_paragraph_or_table_row()
    {
        var citations = Citations("""
            | 6.2.4 | `PasswordRulesTests.Should_a`, `Should_b`, `Architecture/DependencyTests` and `Should_c`. |
            | 6.2.5 | A new row: `Should_d`. |

            A paragraph: `SignInTests.Should_e`,
            on its next line `Should_f`.

            A new paragraph: `Should_g`; `Support/TestApp.cs` and `UserList.razor` are no tests.
            """).ToList();

        citations.ShouldBe(
        [
            (1, "PasswordRulesTests", "Should_a"),
            (1, "PasswordRulesTests", "Should_b"),
            (1, "DependencyTests", null),
            (1, "DependencyTests", "Should_c"),
            (2, null, "Should_d"),
            (4, "SignInTests", "Should_e"),
            (5, "SignInTests", "Should_f"),
            (7, null, "Should_g"),
        ]);
    }

    [GeneratedRegex(@"`(?:[\w.]+/)*(?<class>[A-Z]\w*Tests)(?:\.(?<method>\w+))?`|`(?<bare>Should_\w+)`")]
    private static partial Regex Citation();
}

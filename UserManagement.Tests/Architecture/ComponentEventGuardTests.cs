using System.Text.RegularExpressions;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Architecture;

/// <summary>
/// Component tests raise events only through <see cref="Interactions"/> (<c>cut.Do(c =&gt; c.Find(...).Click())</c>,
/// <c>cut.ClickOn</c>, <c>cut.ClickButton</c>, <c>cut.TypeInto</c>): an element found first and clicked later can carry
/// an event handler id that a render in between replaced, and bUnit then drops the event (ADR 0019). This scans the
/// sources of every test that uses bUnit and names each event raised outside a <c>.Do(...)</c>.
/// </summary>
public sealed partial class ComponentEventGuardTests
{
    [GeneratedRegex(@"\.(Click|DoubleClick|Input|Change|Blur|Focus|FocusIn|FocusOut|KeyDown|KeyUp|KeyPress|Submit|MouseDown|MouseUp|MouseOver|MouseOut|MouseMove|Wheel|Scroll|Toggle|TriggerEvent)(Async)?\(")]
    private static partial Regex BUnitEvent();

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"\.Do\(")]
    private static partial Regex DoCall();

    [Fact]
    public void Should_raise_every_event_of_a_component_test_through_the_interactions()
    {
        var tests = Repository.File("UserManagement.Tests");
        var offences = Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) is not ("Interactions.cs" or "ComponentEventGuardTests.cs"))
            .SelectMany(f => OffencesIn(Path.GetRelativePath(tests, f), File.ReadAllText(f)))
            .ToList();

        offences.ShouldBeEmpty("Raise events with cut.Do(c => c.Find(...).Click()) or cut.ClickOn(...): " + string.Join(", ", offences));
    }

    [Fact]
    public void Should_catch_an_event_raised_on_an_element_found_earlier()
    {
        const string Source = """
            using Bunit;
            var button = cut.Find("button");
            button.Click();
            await cut.Do(c => c.Find("input").Input("fine"));
            await cut.Do(c =>
            {
                c.Find("input").Blur(); // fine too
            });
            cut.Find("input").Change("not fine");
            """;

        OffencesIn("Sample.cs", Source).ShouldBe(["Sample.cs:3 .Click(", "Sample.cs:9 .Change("]);
    }

    private static List<string> OffencesIn(string file, string source)
    {
        if (!source.Contains("using Bunit;", StringComparison.Ordinal))
        {
            return [];
        }

        // Blank the comments (keeping the lines where they are), then allow what sits inside the parentheses of a .Do(...).
        var code = LineComment().Replace(source, m => new string(' ', m.Length));
        var allowed = DoCall().Matches(code).Select(m => (Start: m.Index, End: ClosingParenthesis(code, m.Index + m.Length - 1))).ToList();
        return BUnitEvent().Matches(code)
            .Where(m => !allowed.Any(a => m.Index > a.Start && m.Index < a.End))
            .Select(m => $"{file}:{code[..m.Index].Count(c => c == '\n') + 1} {m.Value}")
            .ToList();
    }

    private static int ClosingParenthesis(string code, int open)
    {
        var depth = 0;
        for (var i = open; i < code.Length; i++)
        {
            depth += code[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return i;
            }
        }

        return code.Length;
    }
}

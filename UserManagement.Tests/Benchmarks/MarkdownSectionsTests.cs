using UserManagement.Benchmarks;

namespace UserManagement.Tests.Benchmarks;

/// <summary>Each benchmark command rewrites its own section of docs/benchmarks.md and leaves the others as they were.</summary>
public sealed class MarkdownSectionsTests
{
    private const string Doc = "# Benchmarks\n\n## Targets\n\nold targets\n\n## Start-up\n\nold start\n\n## Reproduce\n\nrun it\n";

    [Fact]
    public void Should_replace_only_the_section_under_its_heading()
    {
        var text = MarkdownSections.Replace(Doc, "## Start-up", "\n## Start-up\n\nnew start\n", "\n## Reproduce");

        text.ShouldBe("# Benchmarks\n\n## Targets\n\nold targets\n\n## Start-up\n\nnew start\n\n## Reproduce\n\nrun it\n");
    }

    [Fact]
    public void Should_insert_a_missing_section_before_the_given_heading_or_else_at_the_end()
    {
        MarkdownSections.Replace(Doc, "## Load", "\n## Load\n\nfigures\n", "\n## Reproduce")
            .ShouldBe("# Benchmarks\n\n## Targets\n\nold targets\n\n## Start-up\n\nold start\n\n## Load\n\nfigures\n\n## Reproduce\n\nrun it\n");
        MarkdownSections.Replace(Doc, "## Load", "\n## Load\n\nfigures\n", "\n## Nowhere")
            .ShouldBe(Doc + "\n## Load\n\nfigures\n");
    }

    [Fact]
    public void Should_keep_a_hand_written_section_and_another_commands_section_through_a_rewrite()
    {
        var old = Doc + "\n## Notes\n\n### Note: list\n\nwritten by hand\n";
        var rewritten = "# Benchmarks\n\n## Targets\n\nnew targets\n\n## Reproduce\n\nrun it\n\n## Notes\n\nno note yet\n";

        MarkdownSections.Keep(rewritten, old, "\n## Reproduce", "## Start-up", "## Notes", "## Load")
            .ShouldBe("# Benchmarks\n\n## Targets\n\nnew targets\n\n## Start-up\n\nold start\n\n## Reproduce\n\nrun it\n\n## Notes\n\n### Note: list\n\nwritten by hand\n");
    }

    [Fact]
    public void Should_find_a_section_up_to_the_next_heading_or_the_end_and_nothing_for_a_heading_that_only_starts_alike()
    {
        MarkdownSections.Find(Doc, "## Start-up").ShouldBe("\n## Start-up\n\nold start\n");
        MarkdownSections.Find(Doc, "## Reproduce").ShouldBe("\n## Reproduce\n\nrun it\n");
        MarkdownSections.Find(Doc, "## Start").ShouldBeNull();
    }
}

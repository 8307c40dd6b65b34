namespace UserManagement.Benchmarks;

/// <summary>
/// The "## " sections of docs/benchmarks.md: each command rewrites its own and leaves the others as they are, and
/// nothing rewrites the notes kept by hand.
/// A section runs from its heading line to the next "## " heading or the end of the file. Text is "\n"-separated.
/// </summary>
public static class MarkdownSections
{
    /// <summary>The section under <paramref name="heading"/>, from the line break before it; null when there is none.</summary>
    public static string? Find(string text, string heading) =>
        Locate(text, heading) is var (start, end) ? text[start..end] : null;

    /// <summary>
    /// <paramref name="text"/> with the section under <paramref name="heading"/> replaced by <paramref name="section"/>,
    /// or, when there is none, with <paramref name="section"/> inserted before <paramref name="before"/> (or at the end).
    /// </summary>
    public static string Replace(string text, string heading, string section, string before)
    {
        if (Locate(text, heading) is var (start, end))
        {
            return text[..start] + section + text[end..];
        }

        var at = text.IndexOf(before, StringComparison.Ordinal);
        return at < 0 ? text + section : text[..at] + section + text[at..];
    }

    /// <summary>
    /// <paramref name="rewritten"/> with each section under <paramref name="headings"/> as <paramref name="old"/> has it:
    /// in place of the rewritten one, or, where the rewrite has none, before <paramref name="before"/>. A section that
    /// <paramref name="old"/> lacks stays as rewritten. What one command writes survives another command's rewrite.
    /// </summary>
    public static string Keep(string rewritten, string old, string before, params IEnumerable<string> headings)
    {
        ArgumentNullException.ThrowIfNull(headings);
        foreach (var heading in headings)
        {
            if (Find(old, heading) is { } section)
            {
                rewritten = Replace(rewritten, heading, section, before);
            }
        }

        return rewritten;
    }

    private static (int Start, int End)? Locate(string text, string heading)
    {
        var start = text.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return (start, end < 0 ? text.Length : end);
    }
}

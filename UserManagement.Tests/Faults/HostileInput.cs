using CsCheck;

namespace UserManagement.Tests.Faults;

/// <summary>
/// Generators of the input an attacker or a broken client sends: random Unicode (astral planes, lone
/// surrogates), NUL and control characters, right-to-left overrides and isolates, SQL and HTML metacharacters,
/// strings of a megabyte, and numbers at and past the ends of their range.
/// </summary>
public static class HostileInput
{
    public const int Megabyte = 1024 * 1024;

    public static readonly string[] Nasty =
    [
        "'; DROP TABLE Users; --",
        "\" OR 1=1 --",
        "Robert'); DELETE FROM \"Users\" WHERE ('1'='1",
        "%_\\[]^*?",
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        "&lt;b&gt;&amp;&quot;&#39;",
        "{{7*7}} ${7*7} @(7*7)",
        "\u202Egnp.exe",
        "\u2066isolated\u2069",
        "zero\u200Bwidth\uFEFFspace",
        "nul\0in the middle",
        "\r\n\t\v\f",
        "\uD800lone high",
        "lone low\uDC00",
        "👩‍💻🏳️‍🌈 ﷽ Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒g̑o",
        "مرحبا עברית",
        "   ",
        "",
    ];

    private static readonly Gen<char> Character = Gen.Frequency(
        (6, Gen.Char['a', 'z']),
        (2, Gen.Char[' ', '~']),
        (1, Gen.Char['\0', '\u001F']),
        (1, Gen.Char['\u007F', '\u009F']),
        (1, Gen.OneOf('\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F')),
        (2, Gen.Char['\u00A0', '\uD7FF']),
        (1, Gen.Char['\uD800', '\uDFFF']),
        (1, Gen.Char['\uE000', '\uFFFF']));

    private static readonly Gen<string> Astral = Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32);

    /// <summary>Short random text: a few pieces of random characters, emoji and astral code points, and nasty strings.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.OneOf(Character.Array[0, 40].Select(c => new string(c)), Astral, Gen.OneOf(Nasty)).Array[1, 4].Select(string.Concat)),
        (2, Gen.OneOf(Nasty)),
        (1, Gen.Int[95, 260].Select(n => new string('x', n))),
        (1, Gen.OneOf(new string('x', Megabyte), string.Concat(Enumerable.Repeat("<b>'\0\u202E", Megabyte / 5)))));

    /// <summary>Mostly well-formed addresses, so that some saves succeed, with hostile text spliced in the rest.</summary>
    public static readonly Gen<string> Email = Gen.Frequency(
        (3, Gen.Char['a', 'z'].Array[1, 20].Select(c => $"{new string(c)}@example.com")),
        (2, Gen.Select(Text, Gen.Char['a', 'z'].Array[1, 8], (text, local) => $"{new string(local)}{text}@example.com")),
        (2, Text));

    /// <summary>Ints at and past the ends of their range, and ordinary ones.</summary>
    public static readonly Gen<int> Number = Gen.Frequency(
        (3, Gen.Int[-3, 200]),
        (1, Gen.OneOf(int.MinValue, int.MinValue + 1, -1, 0, 1, int.MaxValue - 1, int.MaxValue, 100, 101)),
        (1, Gen.Int));

    public static readonly Gen<long> Version = Gen.Frequency(
        (2, Gen.Long[-2, 5]),
        (1, Gen.OneOf(long.MinValue, long.MaxValue, 0L)),
        (1, Gen.Long));

    public static readonly Gen<Guid> Id = Gen.Frequency((3, Gen.Guid), (1, Gen.Const(Guid.Empty)));

    /// <summary>An enum value that may not be defined (a forged form post).</summary>
    public static Gen<T> AnyOf<T>()
        where T : struct, Enum =>
        Gen.Frequency((3, Gen.Enum<T>()), (1, Number.Select(n => (T)Enum.ToObject(typeof(T), n))));

    /// <summary>A short form of a possibly huge string, for a failure message.</summary>
    public static string Show(string? text) =>
        text is null ? "null"
        : text.Length <= 80 ? System.Text.Json.JsonSerializer.Serialize(text)
        : $"{System.Text.Json.JsonSerializer.Serialize(text[..60])}… ({text.Length:N0} chars)";
}

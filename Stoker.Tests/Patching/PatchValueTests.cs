using Stoker.Sync.Patching;

namespace Stoker.Tests.Patching;

// docs/resource-reference.md (patches[].set): the rendered value is decoded as JSON when it is one JSON value, else kept as text.
public sealed class PatchValueTests
{
    public static TheoryData<string, string> Inference => new()
    {
        // Booleans and null.
        { "true", "true" },
        { "false", "false" },
        { "null", "null" },
        { "  true\n", "true" },
        // Numbers: float64, shortest digits, never an exponent.
        { "9090", "9090" },
        { "3.14", "3.14" },
        { "-2", "-2" },
        { "1e3", "1000" },
        { "1E3", "1000" },
        { "1.50", "1.5" },
        { "-0", "-0" },
        { "2.5e-7", "0.00000025" },
        { "1e21", "1000000000000000000000" },
        { "12345678901234567890", "12345678901234567000" },
        { "9007199254740993", "9007199254740992" },
        // JSON string literals are stored as the string they spell.
        { "\"quoted\"", "\"quoted\"" },
        { "\"\\\"quoted\\\"\"", "\"\\\"quoted\\\"\"" },
        { "\"a\\u0041\"", "\"aA\"" },
        { "\"9090\"", "\"9090\"" },
        { "\"\"", "\"\"" },
        // Objects and arrays are re-encoded compactly with sorted keys.
        { "{\"b\": 1, \"a\": [1, 2]}", "{\"a\":[1,2],\"b\":1}" },
        { "[1, 2]", "[1,2]" },
        { "{\"a\":1,\"a\":2}", "{\"a\":2}" },
        { "{\"n\":1e21,\"m\":1e-7,\"k\":2.5}", "{\"k\":2.5,\"m\":1e-7,\"n\":1e+21}" },
        { "[\"<b>\"]", "[\"\\u003cb\\u003e\"]" },
        { "{\"é\":true,\"z\":false}", "{\"z\":false,\"é\":true}" },
        // Anything else is kept as text.
        { "my-gateway", "\"my-gateway\"" },
        { "01", "\"01\"" },
        { "", "\"\"" },
        { "2.5.0", "\"2.5.0\"" },
        { "True", "\"True\"" },
        { "1e400", "\"1e400\"" },
        { "{\"a\":1e400}", "\"{\\\"a\\\":1e400}\"" },
        { "[1,]", "\"[1,]\"" },
        { "1 2", "\"1 2\"" },
        { "db.prod.internal", "\"db.prod.internal\"" },
        { "192.168.1.100", "\"192.168.1.100\"" },
        // Plain ASCII text is written verbatim, even with <, > and &.
        { "a<b", "\"a<b\"" },
        { "x & y", "\"x & y\"" },
        // Text that needs escaping goes through Go's encoder as a whole (so <, >, & are escaped too).
        { "say \"hi\" <b>", "\"say \\\"hi\\\" \\u003cb\\u003e\"" },
        { "C:\\Windows", "\"C:\\\\Windows\"" },
        { "line1\nline2\ttab", "\"line1\\nline2\\ttab\"" },
        { "bell\u0007", "\"bell\\u0007\"" },
        { "back\bform\f", "\"back\\bform\\f\"" },
        { "café", "\"café\"" },
        { "a\u2028b", "\"a\\u2028b\"" },
        { "😀 & more", "\"😀 \\u0026 more\"" },
    };

    [Theory]
    [MemberData(nameof(Inference))]
    public void ToJsonLiteral_RenderedValue_InfersTypeLikeGoAgent(string rendered, string expected)
    {
        Assert.Equal(expected, PatchValue.ToJsonLiteral(rendered));
    }

    [Fact]
    public void ToJsonLiteral_LoneSurrogateEscape_BecomesReplacementCharacter()
    {
        Assert.Equal("\"a\uFFFDb\"", PatchValue.ToJsonLiteral("\"a\\ud800b\""));
    }

    [Fact]
    public void ToJsonLiteral_DeeplyNestedArray_IsTextRatherThanCrash()
    {
        var deep = new string('[', 5000) + new string(']', 5000);

        Assert.Equal("\"" + deep + "\"", PatchValue.ToJsonLiteral(deep));
    }
}

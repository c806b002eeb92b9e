using Stoker.Sync.Patching;
using Stoker.Templating;

namespace Stoker.Tests.Conformance;

// Divergences from gjson 1.18 / sjson 1.2.5 and Go's text/template that the conformance tables found;
// each test pins the fixed behaviour.
public sealed class KnownDivergenceRegressionTests
{
    private const string Friends =
        "{\"friends\":[{\"first\":\"Dale\",\"age\":44,\"nets\":[\"ig\",\"fb\",\"tw\"]},"
        + "{\"first\":\"Roger\",\"age\":68,\"nets\":[\"fb\",\"tw\"]},"
        + "{\"first\":\"Jane\",\"age\":47,\"nets\":[\"ig\",\"tw\"]}]}";

    private static string Set(string json, string path, string rendered) =>
        JsonPatcher.Apply(json, [new KeyValuePair<string, string>(path, rendered)], "config.json");

    // gjson computes the part after '|' from JSON it builds (a count, a new array): the result is not in
    // the file, so sjson leaves the file alone. Before the fix every matched element was overwritten.
    [Theory]
    [InlineData("friends.#(age>45)#|#")]
    [InlineData("friends.#(age>45)#|0")]
    [InlineData("friends.#(age>45)|first")]
    [InlineData("friends.#(first%\"D*\")|nets")]
    [InlineData("friends.#(nets.#(=\"fb\"))#|#")]
    public void Apply_QueryFollowedByPipe_LeavesFileUnchanged(string path)
    {
        Assert.Equal(Friends, Set(Friends, path, "9"));
    }

    [Fact]
    public void Apply_QueryWithoutPipe_StillReplacesMatches()
    {
        Assert.Equal(Friends.Replace("68", "1", StringComparison.Ordinal).Replace("47", "1", StringComparison.Ordinal),
            Set(Friends, "friends.#(age>45)#.age", "1"));
    }

    // gjson 1.18 gives a missing value the null type: `~null` and `~false` match an element without the
    // key, `~true` and `~*` do not. Before the fix the first two did not match.
    [Theory]
    [InlineData("vals.#(b==~false)#.n", "[{\"n\":1,\"b\":true},{\"n\":9,\"b\":false},{\"n\":9},{\"n\":9,\"b\":null},{\"n\":9,\"b\":0}]")]
    [InlineData("vals.#(b==~null)#.n", "[{\"n\":1,\"b\":true},{\"n\":1,\"b\":false},{\"n\":9},{\"n\":9,\"b\":null},{\"n\":1,\"b\":0}]")]
    [InlineData("vals.#(b==~true)#.n", "[{\"n\":9,\"b\":true},{\"n\":1,\"b\":false},{\"n\":1},{\"n\":1,\"b\":null},{\"n\":1,\"b\":0}]")]
    [InlineData("vals.#(b==~*)#.n", "[{\"n\":9,\"b\":true},{\"n\":9,\"b\":false},{\"n\":1},{\"n\":9,\"b\":null},{\"n\":9,\"b\":0}]")]
    [InlineData("vals.#(b!=~false)#.n", "[{\"n\":9,\"b\":true},{\"n\":1,\"b\":false},{\"n\":1},{\"n\":1,\"b\":null},{\"n\":1,\"b\":0}]")]
    public void Apply_TruthinessQuery_TreatsMissingKeyAsNull(string path, string expected)
    {
        const string json = "{\"vals\":[{\"n\":1,\"b\":true},{\"n\":1,\"b\":false},{\"n\":1},{\"n\":1,\"b\":null},{\"n\":1,\"b\":0}]}";

        Assert.Equal("{\"vals\":" + expected + "}", Set(json, path, "9"));
    }

    // gjson only tests a scalar element itself (an empty query path); a query naming a key skips it.
    [Fact]
    public void Apply_TruthinessQueryOnScalarElements_SkipsThemWhenAKeyIsNamed()
    {
        const string json = "{\"a\":[1,{\"k\":null},\"x\"]}";

        Assert.Equal("{\"a\":[1,9,\"x\"]}", Set(json, "a.#(k==~null)#", "9"));
    }

    [Theory]
    [InlineData("{{0x1.ep+2}}", "7.5")]
    [InlineData("{{0X1P-2}}", "0.25")]
    [InlineData("{{-0x1p4}}", "-16")]
    [InlineData("{{0x_1p4}}", "16")]
    [InlineData("{{0x.8p1}}", "1")]
    [InlineData("{{0x1.fffffffffffffp1023}}", "1.7976931348623157e+308")]
    [InlineData("{{printf \"%T\" 0x1p3}}", "float64")]
    public void Render_HexFloatLiteral_ParsesAsGoDoes(string text, string expected)
    {
        Assert.Equal(expected, GoTemplate.RenderString(text, "t", null));
    }

    [Theory]
    [InlineData("{{0x1.e}}")]
    [InlineData("{{0x1p}}")]
    [InlineData("{{0xp1}}")]
    [InlineData("{{0x1p+1e}}")]
    public void Parse_MalformedHexFloat_IsRefused(string text)
    {
        Assert.Throws<TemplateParseException>(() => GoTemplate.Parse(text, "t"));
    }

    // Found by the execTests additions: every ulong became a double (both arms of a conditional expression took
    // its type), so ranging over one failed and printf treated it as a float64.
    [Theory]
    [InlineData(0UL, "{{range $v := .}}{{print $v}}{{else}}empty{{end}}", "empty")]
    [InlineData(3UL, "{{range .}}{{.}}{{end}}", "012")]
    [InlineData(14UL, "{{printf \"%d %T\" . .}}", "14 int")]
    public void Render_UnsignedData_IsAnInteger(ulong data, string text, string expected)
    {
        Assert.Equal(expected, GoTemplate.RenderString(text, "t", data));
    }
}

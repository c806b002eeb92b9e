using Stoker.Templating;

namespace Stoker.Tests.Templating;

public sealed class GoTemplateParseErrorTests
{
    [Theory]
    [InlineData("{{.Labels.my-label}}", "template: t:1:13: bad character U+002D '-'")]
    [InlineData("line1\n  {{foo 1}}", "template: t:2:5: function \"foo\" not defined")]
    [InlineData("a\nb {{ .X", "template: t:2:3: unclosed action")]
    [InlineData("x{{end}}", "template: t:1:4: unexpected {{end}}")]
    [InlineData("{{else}}", "template: t:1:3: unexpected {{else}}")]
    [InlineData("{{if .X}}a", "template: t:1:3: unexpected EOF: {{if}} has no matching {{end}}")]
    [InlineData("{{range .X}}a{{else}}", "template: t:1:3: unexpected EOF: {{range}} has no matching {{end}}")]
    [InlineData("{{if 1}}{{else}}{{else}}{{end}}", "template: t:1:19: expected end; found {{else}}")]
    [InlineData("{{ .X } }}", "template: t:1:7: unexpected \"}\" in operand")]
    [InlineData("{{$x}}", "template: t:1:3: undefined variable \"$x\"")]
    [InlineData("{{if true}}{{$y := 1}}{{end}}{{$y}}", "template: t:1:32: undefined variable \"$y\"")]
    [InlineData("{{/* x", "template: t:1:1: unclosed comment")]
    [InlineData("{{/* x */ }}", "template: t:1:10: comment ends before closing delimiter")]
    [InlineData("é{{foo}}", "template: t:1:5: function \"foo\" not defined")]
    [InlineData("{{call .X}}", "template: t:1:3: function \"call\" is not supported")]
    [InlineData("{{define \"x\"}}{{end}}", "template: t:1:3: {{define}} is not supported: each file is a single template")]
    [InlineData("{{template \"x\"}}", "template: t:1:3: {{template}} is not supported: each file is a single template")]
    [InlineData("{{block \"x\" .}}{{end}}", "template: t:1:3: {{block}} is not supported: each file is a single template")]
    [InlineData("{{break}}", "template: t:1:3: {{break}} outside {{range}}")]
    [InlineData("{{.X | \"a\"}}", "template: t:1:8: non executable command in pipeline stage 2")]
    [InlineData("{{\"a\".X}}", "template: t:1:6: unexpected . after term \"\\\"a\\\"\"")]
    [InlineData("{{if}}{{end}}", "template: t:1:5: missing value for if")]
    [InlineData("{{}}", "template: t:1:3: missing value for command")]
    [InlineData("{{)}}", "template: t:1:3: unexpected right paren")]
    [InlineData("{{(1}}", "template: t:1:3: unclosed left paren")]
    [InlineData("{{\"abc}}", "template: t:1:3: unterminated quoted string")]
    [InlineData("{{\"\\q\"}}", "template: t:1:3: invalid syntax in string literal \"\\q\"")]
    [InlineData("{{3x}}", "template: t:1:3: bad number syntax: \"3x\"")]
    [InlineData("{{.X-}}", "template: t:1:5: bad character U+002D '-'")]
    [InlineData("{{1+2i}}", "template: t:1:3: complex constants are not supported: 1+2i")]
    [InlineData("{{$x, $y := 1}}", "template: t:1:5: too many declarations in command")]
    [InlineData("{{range $k, . := 1}}{{end}}", "template: t:1:13: range can only initialize variables")]
    [InlineData("{{range .X}}{{else if .Y}}{{end}}", "template: t:1:20: unexpected <if> in input")]
    [InlineData("{{printf \"%s\" \"a very long string\" )}}", "template: t:1:36: unexpected right paren")]
    [InlineData("{{if 1}}\n{{.X 1 2 ,}}\n{{end}}", "template: t:2:10: unexpected \",\" in operand")]
    public void Parse_InvalidTemplate_ThrowsWithGoMessageAndPosition(string text, string expected)
    {
        var error = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse(text, "t"));
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Parse_Error_ExposesNameLineColumnAndReason()
    {
        var error = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("{\n  \"a\": {{.Labels.my-label}}\n}", "config.json"));

        Assert.Equal("config.json", error.TemplateName);
        Assert.Equal(2, error.Line);
        Assert.Equal(20, error.Column);
        Assert.Equal("bad character U+002D '-'", error.Reason);
        Assert.StartsWith("template: config.json:2:20: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TextWithNulByte_IsRefusedAsBinary()
    {
        var error = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse("ab\ncd\0{{.X}}", "logo.png"));

        Assert.Equal("template: logo.png:2:3: contains a NUL byte; binary files cannot be templated", error.Message);
    }

    [Theory]
    [InlineData("{{", 300, "if true}}")]
    [InlineData("{{", 300, "(")]
    public void Parse_PathologicalNesting_FailsInsteadOfOverflowingTheStack(string open, int depth, string repeat)
    {
        var text = open + string.Concat(Enumerable.Repeat(repeat == "(" ? "(" : repeat + "{{", depth)) + "1";

        var error = Assert.Throws<TemplateParseException>(() => GoTemplate.Parse(text, "t"));

        Assert.Contains("depth exceeded", error.Reason, StringComparison.Ordinal);
    }
}

using Stoker.Templating;

namespace Stoker.Tests.Templating;

public sealed class GoTemplateFastPathTests
{
    [Theory]
    [InlineData("")]
    [InlineData("plain text\nwith lines")]
    [InlineData("a lone }} closer")]
    [InlineData("{ { .NotAnAction } }")]
    [InlineData("{\"json\": {\"nested\": {}}}")]
    public void RenderString_NoOpeningDelimiter_ReturnsSameInstanceWithoutParsing(string text)
    {
        // Null data would make any real template action fail; the text must come back untouched.
        Assert.Same(text, GoTemplate.RenderString(text, "t", null));
    }

    [Theory]
    [InlineData("abc", false)]
    [InlineData("a{b}c", false)]
    [InlineData("}}", false)]
    [InlineData("{ {", false)]
    [InlineData("{{", true)]
    [InlineData("x {{.A}}", true)]
    public void NeedsRendering_DependsOnlyOnOpeningDelimiter(string text, bool expected)
    {
        Assert.Equal(expected, GoTemplate.NeedsRendering(text));
    }

    [Fact]
    public void RenderString_WithAction_Renders()
    {
        Assert.Equal("gw-east.json", GoTemplate.RenderString("{{.GatewayName}}.json", "destination", TemplateTestData.Gateway()));
    }

    [Fact]
    public void RenderString_NulByteWithoutDelimiter_StillRefused()
    {
        // Binary files must fail even when they happen to contain no "{{" (docs/templates.md).
        var error = Assert.Throws<TemplateParseException>(() => GoTemplate.RenderString("PNG\0\u0001", "logo.png", null));

        Assert.Equal("contains a NUL byte; binary files cannot be templated", error.Reason);
        Assert.Equal((1, 4), (error.Line, error.Column));
    }
}

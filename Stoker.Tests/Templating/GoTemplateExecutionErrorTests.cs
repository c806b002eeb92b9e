using Stoker.Templating;

namespace Stoker.Tests.Templating;

public sealed class GoTemplateExecutionErrorTests
{
    [Fact]
    public void Render_MissingVarsKey_NamesKeyFileLineAndColumn()
    {
        const string text = "{\n  \"site\": \"{{ .Vars.siteCode }}\"\n}";
        var data = TemplateTestData.Gateway(vars: new Dictionary<string, string> { ["env"] = "prod" });

        var error = Assert.Throws<TemplateExecutionException>(() => GoTemplate.Parse(text, "config.json").Render(data));

        Assert.Equal(
            "template: config.json:2:20: executing \"config.json\" at <.Vars.siteCode>: map has no entry for key \"siteCode\"",
            error.Message);
        Assert.Equal("config.json", error.TemplateName);
        Assert.Equal(2, error.Line);
        Assert.Equal(20, error.Column);
        Assert.Equal("map has no entry for key \"siteCode\"", error.Reason);
    }

    [Theory]
    [InlineData("{{.Foo}}", "template: t:1:3: executing \"t\" at <.Foo>: can't evaluate field Foo in type TemplateData")]
    [InlineData("{{.Labels.app.kubernetes.io}}", "template: t:1:10: executing \"t\" at <.Labels.app.kubernetes.io>: can't evaluate field kubernetes in type string")]
    [InlineData("{{.Labels.missing}}", "template: t:1:10: executing \"t\" at <.Labels.missing>: map has no entry for key \"missing\"")]
    [InlineData("{{if eq .PodOrdinal \"0\"}}x{{end}}", "template: t:1:6: executing \"t\" at <eq .PodOrdinal \"0\">: error calling eq: incompatible types for comparison")]
    [InlineData("{{lt true false}}", "template: t:1:3: executing \"t\" at <lt true false>: error calling lt: invalid type for comparison")]
    [InlineData("{{eq .Labels .Vars}}", "template: t:1:3: executing \"t\" at <eq .Labels .Vars>: error calling eq: non-comparable type map[string]string")]
    [InlineData("{{len}}", "template: t:1:3: executing \"t\" at <len>: wrong number of args for len: want 1 got 0")]
    [InlineData("{{index .Labels 1}}", "template: t:1:3: executing \"t\" at <index .Labels 1>: error calling index: value has type int; should be string")]
    [InlineData("{{range .GatewayName}}{{end}}", "template: t:1:9: executing \"t\" at <.GatewayName>: range can't iterate over gw-east")]
    [InlineData("{{printf 3}}", "template: t:1:10: executing \"t\" at <3>: expected string; found 3")]
    [InlineData("{{printf .PodOrdinal}}", "template: t:1:10: executing \"t\" at <.PodOrdinal>: wrong type for value; expected string; got int")]
    [InlineData("{{nil}}", "template: t:1:3: executing \"t\" at <nil>: nil is not a command")]
    [InlineData("{{3 4}}", "template: t:1:3: executing \"t\" at <3>: can't give argument to non-function 3")]
    [InlineData("{{.GatewayName 1}}", "template: t:1:3: executing \"t\" at <.GatewayName>: GatewayName has arguments but cannot be invoked as function")]
    [InlineData("{{\"x\" | .Vars.env}}", "template: t:1:14: executing \"t\" at <.Vars.env>: env is not a method but has arguments")]
    public void Render_InvalidOperation_ThrowsWithGoMessage(string text, string expected)
    {
        var error = Assert.Throws<TemplateExecutionException>(() => TemplateTestData.Render(text, TemplateTestData.Gateway()));
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("{{index .Items 5}}", "error calling index: index out of range: 5")]
    [InlineData("{{len .Nothing}}", "error calling len: len of nil pointer")]
    [InlineData("{{range $i, $e := 3}}{{end}}", "can't use 3 to iterate over more than one variable")]
    [InlineData("{{.Nothing.field}}", "nil pointer evaluating interface {}.field")]
    [InlineData("{{.Ratio.x}}", "can't evaluate field x in type float64")]
    [InlineData("{{index .Count 0}}", "error calling index: can't index item of type int")]
    public void Render_InvalidOperationOnCollections_ReportsGoReason(string text, string expectedReason)
    {
        var error = Assert.Throws<TemplateExecutionException>(() => TemplateTestData.Render(text, TemplateTestData.Collections()));
        Assert.Equal(expectedReason, error.Reason);
    }

    [Fact]
    public void Render_NilData_ReportsNoEntry()
    {
        var error = Assert.Throws<TemplateExecutionException>(() => TemplateTestData.Render("{{.X}}", null));
        Assert.Equal("nil data; no entry for key \"X\"", error.Reason);
    }

    [Fact]
    public void Render_ErrorInsideRange_PointsAtFieldOnItsLine()
    {
        const string text = "{{range .Items}}\n  {{.Missing}}\n{{end}}";

        var error = Assert.Throws<TemplateExecutionException>(() => TemplateTestData.Render(text, TemplateTestData.Collections()));

        Assert.Equal((2, 5), (error.Line, error.Column));
        Assert.Equal("can't evaluate field Missing in type string", error.Reason);
    }
}

using Stoker.Templating;

namespace Stoker.Tests.Templating;

public sealed class GoTemplateRenderTests
{
    [Theory]
    [InlineData("{{.GatewayName}}", "gw-east")]
    [InlineData("{{ .Vars.siteCode }}", "EAST")]
    [InlineData("{{.PodOrdinal}}", "0")]
    [InlineData("{{.PodName}}/{{.Namespace}}/{{.CRName}}@{{.Ref}}:{{.Commit}}", "gw-east-0/ignition/site-sync@main:0123abcd")]
    [InlineData("{{index .Labels \"app.kubernetes.io/name\"}}", "gw")]
    [InlineData("{{index .Labels \"my-label\"}}", "x")]
    [InlineData("[{{index .Labels \"missing\"}}]", "[]")]
    [InlineData("{{$.Vars.env}}", "prod")]
    [InlineData("{{.Vars}}", "map[env:prod siteCode:EAST]")]
    public void Render_TemplateDataMembers_ProduceValues(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Gateway()));
    }

    [Theory]
    [InlineData("{{\"{{\"}}", "{{")]
    [InlineData("{{\"}}\"}}", "}}")]
    [InlineData("{{`raw\\n{{`}}", "raw\\n{{")]
    [InlineData("{{\"a\\tb\\u00e9\"}}", "a\tbé")]
    [InlineData("{{1}} {{-3}} {{1.5}} {{0x1F}} {{1e3}} {{1_000}} {{'a'}}", "1 -3 1.5 31 1000 1000 97")]
    [InlineData("{{true}} {{false}}", "true false")]
    [InlineData("{{printf \"%v\" nil}}", "<nil>")]
    public void Render_Literals_PrintLikeGo(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, null));
    }

    [Fact]
    public void Render_DotOnScalarData_PrintsData()
    {
        Assert.Equal("hello hello", TemplateTestData.Render("{{.}} {{$}}", "hello"));
    }

    [Fact]
    public void Render_NilValueInMap_PrintsNoValue()
    {
        Assert.Equal("<no value>", TemplateTestData.Render("{{.Nothing}}", TemplateTestData.Collections()));
    }

    [Theory]
    [InlineData("{{$x := .Vars.siteCode}}{{$x}}-{{$x = \"W\"}}{{$x}}", "EAST-W")]
    [InlineData("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2")]
    [InlineData("{{$x := \"outer\"}}{{with .Vars}}{{$x}}:{{.env}}{{end}}", "outer:prod")]
    [InlineData("{{with $v := .Vars.env}}{{$v}}{{end}}", "prod")]
    public void Render_Variables_DeclareAssignAndScope(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Gateway()));
    }

    [Theory]
    [InlineData("dev", "D")]
    [InlineData("prod", "P")]
    [InlineData("test", "O")]
    public void Render_IfElseIfElse_TakesMatchingBranch(string env, string expected)
    {
        var data = TemplateTestData.Gateway(vars: new Dictionary<string, string> { ["env"] = env });
        const string text = "{{if eq .Vars.env \"dev\"}}D{{else if eq .Vars.env \"prod\"}}P{{else}}O{{end}}";
        Assert.Equal(expected, TemplateTestData.Render(text, data));
    }

    [Theory]
    [InlineData("{{with .Vars.siteCode}}[{{.}}]{{end}}", "[EAST]")]
    [InlineData("{{with \"\"}}x{{else}}empty{{end}}", "empty")]
    [InlineData("{{with \"\"}}a{{else with .Vars.env}}{{.}}{{end}}", "prod")]
    public void Render_With_RebindsDot(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Gateway()));
    }

    [Theory]
    [InlineData("{{range $i, $e := .Items}}{{$i}}={{$e}};{{end}}", "0=a;1=b;")]
    [InlineData("{{range .Items}}<{{.}}>{{end}}", "<a><b>")]
    [InlineData("{{range $e := .Items}}{{$e}}{{end}}", "ab")]
    [InlineData("{{range $k, $v := .Labels}}{{$k}}={{$v}},{{end}}", "a=1,b=2,")]
    [InlineData("{{range .Empty}}x{{else}}none{{end}}", "none")]
    [InlineData("{{range .EmptyMap}}x{{else}}none{{end}}", "none")]
    [InlineData("{{range .Nothing}}x{{else}}nil{{end}}", "nil")]
    [InlineData("{{range 3}}{{.}}{{end}}", "012")]
    [InlineData("{{range .Nums}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}", "13")]
    [InlineData("{{range .Items}}{{$.Count}}{{end}}", "33")]
    public void Render_Range_IteratesLikeGo(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Collections()));
    }

    [Theory]
    [InlineData("{{.PodOrdinal | printf \"%s-%d\" .Vars.siteCode}}", "EAST-0")]
    [InlineData("{{.Vars.siteCode | printf \"%s\" | printf \"[%s]\"}}", "[EAST]")]
    [InlineData("{{printf \"%s/%s\" (index .Labels \"my-label\") .Namespace}}", "x/ignition")]
    [InlineData("{{(printf \"%s\" .Vars.env) | len}}", "4")]
    [InlineData("{{.Vars.env | eq \"prod\"}}", "true")]
    public void Render_Pipelines_PassValueAsLastArgument(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Gateway()));
    }

    [Fact]
    public void Render_ChainOnParenthesisedValue_ReadsField()
    {
        Assert.Equal("c", TemplateTestData.Render("{{(index .Nested \"a\").b}}", TemplateTestData.Collections()));
    }

    [Theory]
    [InlineData("{{len .Labels}} {{len \"héllo\"}} {{len .Items}}", "2 6 2")]
    [InlineData("{{index .Items 1}} {{index .Nested \"a\" \"b\"}}", "b c")]
    [InlineData("{{slice .Items 1}} {{slice \"hello\" 1 3}}", "[b] el")]
    [InlineData("{{not true}} {{and 1 0 2}} {{or 0 \"\" \"x\"}} {{and 1 2}}", "false 0 x 2")]
    [InlineData("{{eq .Count 1 2 3}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1.5 2.5}}", "true true true true true false")]
    [InlineData("{{print \"a\" 1 2 \"b\"}}|{{println \"a\" 1}}|", "a1 2b|a 1\n|")]
    [InlineData("{{html \"<a href='x'>&</a>\"}}", "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;")]
    [InlineData("{{js \"it's <b>\"}}", "it\\'s \\u003Cb\\u003E")]
    [InlineData("{{urlquery \"a b&c/d\"}}", "a+b%26c%2Fd")]
    [InlineData("{{.Items}} {{.Ratio}} {{.Labels}}", "[a b] 0.5 map[a:1 b:2]")]
    public void Render_Builtins_BehaveLikeGo(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Collections()));
    }

    [Fact]
    public void Render_AndShortCircuits_DoesNotEvaluateLaterArguments()
    {
        // .NoSuchField would fail; Go 1.18+ never evaluates it.
        Assert.Equal("y", TemplateTestData.Render("{{if and false .NoSuchField}}x{{else}}y{{end}}", TemplateTestData.Gateway()));
    }

    [Theory]
    [InlineData("\"\"", "F")]
    [InlineData("\"a\"", "T")]
    [InlineData("0", "F")]
    [InlineData("1", "T")]
    [InlineData("0.0", "F")]
    [InlineData("false", "F")]
    [InlineData(".Empty", "F")]
    [InlineData(".EmptyMap", "F")]
    [InlineData(".Nothing", "F")]
    [InlineData(".Labels", "T")]
    [InlineData(".Items", "T")]
    public void Render_IfCondition_UsesGoTruthiness(string condition, string expected)
    {
        var text = "{{if " + condition + "}}T{{else}}F{{end}}";
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Collections()));
    }

    [Theory]
    [InlineData("a{{/* note */}}b", "ab")]
    [InlineData("a {{- /* note */ -}} b", "ab")]
    [InlineData("a{{/* multi\nline */}}b", "ab")]
    [InlineData("a  {{- .Vars.env -}}  \n b", "aprodb")]
    [InlineData("x:\n  {{- if true }}\n  y\n  {{- end }}\n", "x:\n  y\n")]
    [InlineData("{{ 3 -}}\n\n  4", "34")]
    [InlineData("{{-3}}", "-3")]
    [InlineData("1 {{- 2}}", "12")]
    [InlineData("a\r\n\t{{- 1}}", "a1")]
    [InlineData("{{1 }} {{ 2}}", "1 2")]
    public void Render_TrimMarkersAndComments_MatchGo(string text, string expected)
    {
        Assert.Equal(expected, TemplateTestData.Render(text, TemplateTestData.Gateway()));
    }

    [Fact]
    public void Render_ActionSpanningLines_IsOneAction()
    {
        const string text = "{{ printf \"%s-%s\"\n     .Vars.siteCode\n     .Vars.env }}";
        Assert.Equal("EAST-prod", TemplateTestData.Render(text, TemplateTestData.Gateway()));
    }

    [Fact]
    public void Render_UnicodeIdentifiers_AreFieldNames()
    {
        var data = new Dictionary<string, object?> { ["Größe"] = "XL" };
        Assert.Equal("XL", TemplateTestData.Render("{{.Größe}}", data));
    }

    [Fact]
    public void Render_Concurrently_IsIndependentPerCall()
    {
        var template = GoTemplate.Parse("{{$x := .Vars.siteCode}}{{range 50}}{{$x}}{{end}}", "t");
        var results = new string[32];

        Parallel.For(0, results.Length, i =>
        {
            var data = TemplateTestData.Gateway(vars: new Dictionary<string, string> { ["siteCode"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            results[i] = template.Render(data);
        });

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(string.Concat(Enumerable.Repeat(i.ToString(System.Globalization.CultureInfo.InvariantCulture), 50)), results[i]);
        }
    }

    [Fact]
    public void Render_RootMapData_LooksUpKeys()
    {
        var data = new Dictionary<string, string> { ["name"] = "n1" };
        Assert.Equal("n1", TemplateTestData.Render("{{.name}}", data));
    }

    [Fact]
    public void Render_CalledTwice_ProducesSameOutput()
    {
        var template = GoTemplate.Parse("{{range $i, $e := .Items}}{{$i}}{{$e}}{{end}}", "t");
        var data = TemplateTestData.Collections();
        Assert.Equal(template.Render(data), template.Render(data));
        Assert.Equal("t", template.Name);
    }
}

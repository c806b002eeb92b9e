using Stoker.Templating;

namespace Stoker.Tests.Templating;

/// <summary>
/// A template from the repository cannot keep an agent busy for ever or fill its memory: past
/// <see cref="TemplateLimits"/> the render fails like any template error, naming the limit (found by the fuzz test:
/// <c>{{range 9223372036854775807}}</c> never ended).
/// </summary>
public sealed class TemplateLimitsTests
{
    private const string Hundred = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

    private static readonly Dictionary<string, object?> Data = new(StringComparer.Ordinal)
    {
        ["Vars"] = Enumerable.Range(0, 100).ToDictionary(i => "v" + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), i => (object?)"x", StringComparer.Ordinal),
    };

    [Theory]
    [InlineData("{{range 9223372036854775807}}{{end}}")]
    [InlineData("{{range .Vars}}{{range $.Vars}}{{range $.Vars}}{{range $.Vars}}{{end}}{{end}}{{end}}{{end}}")]
    public void Render_EndlessWork_RefusedNamingTheStepLimit(string text)
    {
        var error = Assert.Throws<TemplateExecutionException>(() => GoTemplate.RenderString(text, "bomb.json", Data));

        Assert.Contains("more than 1000000 steps (the limit for rendering one template)", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("template: bomb.json:1:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{range 1000}}{{printf \"%1000000d\" 1}}{{end}}")]
    [InlineData("{{range 1000000}}" + Hundred + Hundred + "{{end}}")]
    public void Render_HugeOutput_RefusedNamingTheOutputLimit(string text)
    {
        var error = Assert.Throws<TemplateExecutionException>(() => GoTemplate.RenderString(text, "big.json", Data));

        Assert.Contains("output longer than 33554432 characters (the limit for rendering one template)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithinTheLimits_Unchanged()
    {
        Assert.Equal(new string('x', 100_000), GoTemplate.RenderString("{{range 100000}}x{{end}}", "ok.json", Data));
        Assert.Equal(10_000, GoTemplate.RenderString("{{range .Vars}}{{range $.Vars}}y{{end}}{{end}}", "ok.json", Data).Length);
    }
}

using System.Text.Json;
using Stoker.Templating;

namespace Stoker.Tests.Templating;

public sealed class IgnitionConfigTemplateTests
{
    private const string ConfigJson = """
        {
          "systemName": "{{.GatewayName}}",
          "site": "{{ .Vars.siteCode }}",
          "ordinal": {{ .PodOrdinal }},
          "redundancy": "{{ if eq .PodOrdinal 0 }}primary{{ else }}backup{{ end }}",
          {{- if eq .Vars.env "prod" }}
          "debug": false,
          {{- else }}
          "debug": true,
          {{- end }}
          {{- /* pod labels become gateway metadata */}}
          "metadata": {
            {{- $first := true }}
            {{- range $k, $v := .Labels }}
            {{- if not $first }},{{ end }}
            {{- $first = false }}
            "{{ $k }}": "{{ $v }}"
            {{- end }}
          }
        }
        """;

    private static readonly Dictionary<string, string> Labels = new()
    {
        ["tier"] = "edge",
        ["app"] = "ignition",
    };

    [Fact]
    public void Render_ProductionGateway_ProducesExpectedJson()
    {
        var data = TemplateTestData.Gateway(
            vars: new Dictionary<string, string> { ["siteCode"] = "EAST", ["env"] = "prod" },
            labels: Labels,
            podOrdinal: 1);

        var rendered = GoTemplate.RenderString(ConfigJson, "config.json", data);

        const string expected = """
            {
              "systemName": "gw-east",
              "site": "EAST",
              "ordinal": 1,
              "redundancy": "backup",
              "debug": false,
              "metadata": {
                "app": "ignition",
                "tier": "edge"
              }
            }
            """;
        Assert.Equal(expected, rendered);
        using var document = JsonDocument.Parse(rendered);
        Assert.Equal("gw-east", document.RootElement.GetProperty("systemName").GetString());
    }

    [Fact]
    public void Render_DevelopmentPrimary_TakesOtherBranches()
    {
        var data = TemplateTestData.Gateway(
            vars: new Dictionary<string, string> { ["siteCode"] = "WEST", ["env"] = "dev" },
            labels: new Dictionary<string, string>(),
            podOrdinal: 0);

        var rendered = GoTemplate.RenderString(ConfigJson, "config.json", data);

        using var document = JsonDocument.Parse(rendered);
        Assert.Equal("primary", document.RootElement.GetProperty("redundancy").GetString());
        Assert.True(document.RootElement.GetProperty("debug").GetBoolean());
        Assert.Empty(document.RootElement.GetProperty("metadata").EnumerateObject());
    }

    [Fact]
    public void Render_MissingSiteCode_FailsNamingKeyAndLine()
    {
        var data = TemplateTestData.Gateway(vars: new Dictionary<string, string> { ["env"] = "prod" });

        var error = Assert.Throws<TemplateExecutionException>(() => GoTemplate.RenderString(ConfigJson, "config.json", data));

        Assert.Equal(
            "template: config.json:3:20: executing \"config.json\" at <.Vars.siteCode>: map has no entry for key \"siteCode\"",
            error.Message);
    }

    [Theory]
    [InlineData("projects/{{.Vars.siteCode}}", "projects/EAST")]
    [InlineData("config/resources/core/ignition/{{.GatewayName}}-{{.PodOrdinal}}", "config/resources/core/ignition/gw-east-0")]
    [InlineData("{{ .Vars.siteCode | printf \"%s-gateway\" }}", "EAST-gateway")]
    public void RenderString_MappingPaths_RenderLikeGo(string path, string expected)
    {
        Assert.Equal(expected, GoTemplate.RenderString(path, "destination", TemplateTestData.Gateway()));
    }
}

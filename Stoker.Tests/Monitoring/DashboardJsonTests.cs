using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stoker.Tests.Infrastructure;

namespace Stoker.Tests.Monitoring;

/// <summary>
/// The dashboards of <c>deploy/grafana/</c> are Grafana dashboards as Grafana's JSON model defines them: identity,
/// panels laid out on the 24-column grid without overlap, every query on the <c>${datasource}</c> variable, every
/// variable they use defined before use, and every PromQL expression accepted by Prometheus' own parser (promtool).
/// Whether the expressions find series is <see cref="DashboardPrometheusTests"/>'s part.
/// </summary>
public sealed class DashboardJsonTests
{
    public static TheoryData<string> Dashboards() => [.. GrafanaDashboard.Files];

    [Fact]
    public void Dashboards_HaveDistinctUidsAndTitles()
    {
        var dashboards = GrafanaDashboard.All().ToList();

        Assert.Equal(["stoker-detail", "stoker-fleet"], dashboards.Select(d => d.Uid).Order(StringComparer.Ordinal));
        Assert.Equal(dashboards.Count, dashboards.Select(d => (string?)d.Root["title"]).Distinct().Count());
        Assert.All(dashboards, d => Assert.False(string.IsNullOrWhiteSpace((string?)d.Root["title"]), d.File));
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Dashboard_IsGrafanaJson_WithUniquePanelIdsOnTheGrid(string file)
    {
        var dashboard = GrafanaDashboard.Load(file);
        Assert.True(dashboard.Root["schemaVersion"] is JsonValue version && version.GetValue<int>() >= 30, $"{file}: schemaVersion");
        Assert.Null(dashboard.Root["id"]);
        var panels = dashboard.Panels().ToList();
        Assert.NotEmpty(panels);

        var ids = panels.Select(p => p["id"]!.GetValue<int>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var boxes = new List<(int X, int Y, int W, int H, string Title)>();
        foreach (var panel in panels)
        {
            var title = (string?)panel["title"];
            Assert.False(string.IsNullOrWhiteSpace(title), $"{file}: panel {panel["id"]} has no title");
            Assert.False(string.IsNullOrWhiteSpace((string?)panel["type"]), $"{file}: {title} has no type");
            var grid = panel["gridPos"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"{file}: {title} has no gridPos");
            var (x, y, w, h) = (grid["x"]!.GetValue<int>(), grid["y"]!.GetValue<int>(), grid["w"]!.GetValue<int>(), grid["h"]!.GetValue<int>());
            Assert.True(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24, $"{file}: {title} gridPos {grid.ToJsonString()} is off the 24-column grid");
            var overlap = boxes.FirstOrDefault(b => x < b.X + b.W && b.X < x + w && y < b.Y + b.H && b.Y < y + h);
            Assert.True(overlap.Title is null, $"{file}: {title} overlaps {overlap.Title}");
            boxes.Add((x, y, w, h, title!));
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void Panels_QueryTheDatasourceVariable_WithAnExpressionPerTarget(string file)
    {
        var dashboard = GrafanaDashboard.Load(file);
        foreach (var panel in dashboard.Panels().Where(p => (string?)p["type"] != "row"))
        {
            var title = (string?)panel["title"];
            Assert.Equal("${datasource}", (string?)panel["datasource"]?["uid"]);
            var targets = (panel["targets"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            Assert.True(targets.Count > 0, $"{file}: {title} has no targets");
            Assert.Equal(targets.Count, targets.Select(t => (string?)t["refId"]).Distinct().Count());
            Assert.All(targets, t =>
            {
                Assert.False(string.IsNullOrWhiteSpace((string?)t["expr"]), $"{file}: {title} target {t["refId"]} has no expr");
                Assert.Equal("${datasource}", (string?)t["datasource"]?["uid"]);
            });
        }
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void TemplateVariables_AreDefinedBeforeUse_AndStartWithTheDatasource(string file)
    {
        var dashboard = GrafanaDashboard.Load(file);
        var variables = dashboard.Variables();
        Assert.Equal("datasource", (string?)variables[0]["name"]);
        Assert.Equal("datasource", (string?)variables[0]["type"]);
        Assert.Equal("prometheus", (string?)variables[0]["query"]);
        Assert.Contains(variables, v => (string?)v["name"] == "namespace");

        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in variables)
        {
            var name = (string?)variable["name"] ?? "";
            if ((string?)variable["type"] == "query")
            {
                Assert.Equal("${datasource}", (string?)variable["datasource"]?["uid"]);
                var query = GrafanaDashboard.VariableQuery(variable);
                Assert.True(GrafanaDashboard.ParseLabelValues(query) is not null, $"{file}: ${name}: {query} is not label_values(…)");
                Assert.All(GrafanaDashboard.References(query), r => Assert.True(defined.Contains(r), $"{file}: ${name} uses ${r} before it is defined"));
            }

            Assert.True(defined.Add(name), $"{file}: ${name} defined twice");
        }

        foreach (var (where, expression) in dashboard.Expressions())
        {
            Assert.All(GrafanaDashboard.References(expression), r => Assert.True(defined.Contains(r), $"{where}: ${r} is not a variable of the dashboard"));
        }

        // Every query variable is used by some panel (else it is a control that does nothing).
        var used = dashboard.Expressions().SelectMany(e => GrafanaDashboard.References(e.Expression))
            .Concat(variables.SelectMany(v => GrafanaDashboard.References(GrafanaDashboard.VariableQuery(v)))).ToHashSet(StringComparer.Ordinal);
        Assert.All(variables.Where(v => (string?)v["type"] == "query"), v => Assert.Contains((string)v["name"]!, used));
    }

    [Fact]
    public async Task EveryExpression_IsAcceptedByPrometheusParser()
    {
        // promtool parses recording rules offline: each expression, its variables substituted, becomes one rule.
        using var temp = new TempDirectory("dashboard-rules");
        var rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["datasource"] = "prometheus" };
        var count = 0;
        foreach (var dashboard in GrafanaDashboard.All())
        {
            foreach (var variable in dashboard.Variables())
            {
                values[(string?)variable["name"] ?? ""] = ".*";
            }

            foreach (var (_, expression) in dashboard.Expressions())
            {
                rules.Append("      - record: stoker:dashboard_check_").Append(++count).Append('\n')
                    .Append("        expr: ").Append(JsonSerializer.Serialize(GrafanaDashboard.Substitute(expression, values))).Append('\n');
            }
        }

        var file = temp.Combine("rules.yml");
        await File.WriteAllTextAsync(file, rules.ToString());
        var start = new ProcessStartInfo(PrometheusTools.Promtool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "check", "rules", file })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"promtool check rules: {stdout}{await stderr}\n{rules}");
        Assert.Contains($"SUCCESS: {count} rules found", stdout, StringComparison.Ordinal);
    }
}

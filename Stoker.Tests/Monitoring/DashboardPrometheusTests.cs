using System.Diagnostics;
using System.Text.Json;
using Stoker.AgentClient.Runtime;
using Stoker.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Stoker.Tests.Monitoring;

/// <summary>
/// Issue 15's acceptance for the dashboards and metrics, against <see cref="MonitoringStack"/>: every PromQL
/// expression of both dashboards, run through a real Prometheus scraping a real silo and agent statically, returns
/// series, with the variables set to the stack's values and to "All"; the variables' own queries list those values;
/// the agent's series carry its identity; <c>promtool check metrics</c> finds nothing in Stoker's own series.
/// </summary>
public sealed class DashboardPrometheusTests(MonitoringStack stack, ITestOutputHelper output) : IClassFixture<MonitoringStack>
{
    [Fact]
    public async Task EveryDashboardExpression_ReturnsSeries_ForTheStacksValuesAndForAll()
    {
        var all = MonitoringStack.VariableValues.ToDictionary(p => p.Key, p => p.Key == "datasource" ? p.Value : ".*", StringComparer.Ordinal);
        var queries = (from dashboard in GrafanaDashboard.All()
                       from e in dashboard.Expressions()
                       from values in new[] { ("values", MonitoringStack.VariableValues), ("All", (IReadOnlyDictionary<string, string>)all) }
                       select (Where: $"{e.Where} [{values.Item1}]", Query: GrafanaDashboard.Substitute(e.Expression, values.Item2))).ToList();
        Assert.True(queries.Count >= 60, $"only {queries.Count} queries");

        // Rates need two scrapes after a change, and the agent's periodic check skips its first unchanged commit a few
        // seconds after its last sync: poll until nothing is empty, then report what still is.
        try
        {
            await Eventually.Until(() => EmptyAsync(queries), e => e.Count == 0, TimeSpan.FromSeconds(60), "every dashboard expression to return series");
        }
        catch (TimeoutException)
        {
            // Reported below, query by query.
        }

        var empty = await EmptyAsync(queries);
        Assert.True(empty.Count == 0, "no series for:\n" + string.Join('\n', empty) + "\n" + stack.Diagnostics());
        output.WriteLine($"{queries.Count} queries (both dashboards, with the stack's values and with All) all returned series");
    }

    [Fact]
    public async Task TemplateVariables_ListTheStacksValues()
    {
        foreach (var dashboard in GrafanaDashboard.All())
        {
            foreach (var variable in dashboard.Variables().Where(v => (string?)v["type"] == "query"))
            {
                var name = (string)variable["name"]!;
                var (selector, label) = GrafanaDashboard.ParseLabelValues(GrafanaDashboard.VariableQuery(variable))!.Value;
                var match = GrafanaDashboard.Substitute(selector ?? "{__name__=~\".+\"}", MonitoringStack.VariableValues);
                var values = await Eventually.Until(() => stack.Prometheus.LabelValuesAsync(label, match), v => v.Contains(MonitoringStack.VariableValues[name]),
                    TimeSpan.FromSeconds(30), $"{dashboard.File}: ${name} = label_values({match}, {label}) to list {MonitoringStack.VariableValues[name]}\n{stack.Diagnostics()}");
                output.WriteLine($"{dashboard.File}: ${name} -> {string.Join(", ", values)}");
            }
        }
    }

    [Fact]
    public async Task AgentSeries_CarryTheAgentsNamespaceGatewaySyncAndGateway()
    {
        var text = await stack.Agent.GetAsync(stack.Agent.MetricsPort, "/metrics");
        var expected = $"namespace=\"{MonitoringStack.Namespace}\",gatewaysync=\"{MonitoringStack.CrName}\",gateway=\"{MonitoringStack.GatewayName}\"";
        var series = text.Body.Split('\n').Where(l => l.StartsWith("stoker_agent_", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(series);
        Assert.All(series, line => Assert.Contains(expected, line, StringComparison.Ordinal));

        // Scraped statically (no service discovery labels), the labels reach Prometheus unchanged.
        var scraped = await Eventually.Until(() => stack.Prometheus.QueryAsync("stoker_agent_control_plane_connected"), r => r.Count == 1, TimeSpan.FromSeconds(30), "the agent's connected gauge");
        var labels = scraped[0].GetProperty("metric");
        Assert.Equal(MonitoringStack.Namespace, labels.GetProperty(AgentMetrics.NamespaceLabel).GetString());
        Assert.Equal(MonitoringStack.CrName, labels.GetProperty(AgentMetrics.GatewaySyncLabel).GetString());
        Assert.Equal(MonitoringStack.GatewayName, labels.GetProperty(AgentMetrics.GatewayLabel).GetString());
        Assert.Equal("1", scraped[0].GetProperty("value")[1].GetString());
    }

    [Fact]
    public async Task OrleansEraSeries_CountThePropagationsAndTheConnectedAgent()
    {
        var selector = $"{{namespace=\"{MonitoringStack.Namespace}\",name=\"{MonitoringStack.CrName}\"}}";

        // The initial commit and the pushed one each went from the gateway's grain to the agent's Synced report.
        var propagations = await Eventually.Until(() => stack.Prometheus.QueryAsync("stoker_controller_propagation_duration_seconds_count" + selector),
            r => r.Count == 1 && double.Parse(r[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 2,
            TimeSpan.FromSeconds(30), "two propagations timed\n" + stack.Diagnostics());
        Assert.Single(propagations);
        var connected = await Eventually.Until(() => stack.Prometheus.QueryAsync("stoker_controller_agents_connected" + selector),
            r => r.Count == 1 && r[0].GetProperty("value")[1].GetString() == "1", TimeSpan.FromSeconds(30), "one agent connected\n" + stack.Diagnostics());
        Assert.Single(connected);
        var gatewayGrains = await stack.Prometheus.QueryAsync("microsoft_orleans_orleans_catalog_activations{grain_type=\"gateway\"}");
        Assert.True(gatewayGrains.Count == 1 && gatewayGrains[0].GetProperty("value")[1].GetString() == "1", "one Gateway grain activation");
    }

    [Fact]
    public async Task PromtoolCheckMetrics_FindsNothingInStokersOwnSeries()
    {
        var silo = await stack.Silo.GetStringAsync("/metrics");
        var agent = (await stack.Agent.GetAsync(stack.Agent.MetricsPort, "/metrics")).Body;
        foreach (var (who, text, names) in new[]
        {
            ("silo", silo, new[] { "stoker_controller_reconcile_total", "stoker_controller_propagation_duration_seconds", "stoker_webhook_receiver_requests_total", "stoker_webhook_injector_injections_total" }),
            ("agent", agent, new[] { "stoker_agent_sync_total", "stoker_agent_sync_duration_seconds", "stoker_agent_control_plane_connected" }),
        })
        {
            Assert.All(names, n => Assert.Contains("\n" + n, text, StringComparison.Ordinal));
            var problems = await PromtoolCheckAsync(text);

            // Only Stoker's own series must be clean. Others come from libraries: prometheus-net's self-metrics and its
            // adapter for .NET meters (System.Runtime's *_count gauges, Orleans' meters) follow their own naming.
            var ours = problems.Where(p => p.StartsWith("stoker_", StringComparison.Ordinal)).ToList();
            Assert.True(ours.Count == 0, $"promtool check metrics on the {who}'s /metrics:\n{string.Join('\n', ours)}");
            output.WriteLine($"{who}: promtool flagged {problems.Count} foreign series: {string.Join("; ", problems)}");
        }
    }

    private async Task<List<string>> EmptyAsync(IEnumerable<(string Where, string Query)> queries)
    {
        var empty = new List<string>();
        foreach (var (where, query) in queries)
        {
            if ((await stack.Prometheus.QueryAsync(query)).Count == 0)
            {
                empty.Add($"{where}: {query}");
            }
        }

        return empty;
    }

    /// <summary>The lines of <c>promtool check metrics</c>'s findings, one per problem, each starting with the metric's name.</summary>
    private static async Task<List<string>> PromtoolCheckAsync(string exposition)
    {
        var start = new ProcessStartInfo(PrometheusTools.Promtool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("metrics");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        var lines = ((await stdout) + "\n" + (await stderr)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

        // Exit 0: clean; 3: lint findings (listed); anything else is a parse error, which is a failure of its own.
        Assert.True(process.ExitCode is 0 or 3, $"promtool check metrics exited with {process.ExitCode}: {string.Join('\n', lines)}");
        return lines;
    }
}

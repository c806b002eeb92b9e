using System.Diagnostics;
using Stoker.Demo.Plan;
using Stoker.Tests.Monitoring;
using YamlDotNet.RepresentationModel;

namespace Stoker.Tests.Demo;

/// <summary>
/// docker-compose.yml's <c>monitoring</c> profile (docs/monitoring.md): Prometheus scrapes the silo and every demo
/// agent at the ports the stack really uses, anonymously as /metrics is served; Grafana gets the data source and the
/// dashboards of deploy/grafana provisioned. Without the profile the stack is unchanged.
/// </summary>
public sealed class ComposeMonitoringTests
{
    private static readonly DemoTopology Topology = DemoTopology.Compose;
    private readonly ComposeFile _compose = ComposeFile.Load(Checkout.Combine("docker-compose.yml"));

    [Fact]
    public async Task DockerComposeConfig_WithTheMonitoringProfile_IsAccepted()
    {
        var result = await Stoker.Demo.Processes.Command.RunAsync("docker-compose", ["-f", "docker-compose.yml", "--profile", "monitoring", "config", "-q"], TimeSpan.FromMinutes(1), Checkout.Root);
        Assert.True(result.Succeeded, $"docker-compose --profile monitoring config exited with {result.ExitCode}: {result.Output}");
    }

    [Fact]
    public void OnlyPrometheusAndGrafana_AreInTheMonitoringProfile()
    {
        foreach (var name in _compose.ServiceNames)
        {
            var profiles = ComposeFile.List(_compose.Service(name), "profiles");
            Assert.Equal(name is "prometheus" or "grafana" ? ["monitoring"] : [], profiles);
        }
    }

    [Fact]
    public async Task Prometheus_ScrapesTheSiloAndEveryAgent_AtTheirPorts()
    {
        var prometheus = _compose.Service("prometheus");
        var config = Mounted(prometheus, "/etc/prometheus/prometheus.yml");
        Assert.Contains("--config.file=/etc/prometheus/prometheus.yml", ComposeFile.List(prometheus, "command"));

        var jobs = ((YamlSequenceNode)Load(config)["scrape_configs"]).Children.Cast<YamlMappingNode>().ToList();
        Assert.All(jobs, j => Assert.Equal("/metrics", ComposeFile.Scalar(j, "metrics_path")));
        // /metrics is anonymous on the silo and the agents: no credentials in the file.
        Assert.All(jobs, j => Assert.Null(ComposeFile.Child(j, "authorization") ?? ComposeFile.Child(j, "basic_auth")));
        var targets = jobs.SelectMany(j => ((YamlSequenceNode)ComposeFile.Child(j, "static_configs")!).Children.Cast<YamlMappingNode>())
            .SelectMany(s => ComposeFile.List(s, "targets")).Order(StringComparer.Ordinal);

        // An agent shares its gateway's network namespace (network_mode: service:…), so it answers under that name.
        var expected = Topology.Gateways.Select(g => $"{DemoPlan.GatewayService(g)}:{g.MetricsPort}").Append($"silo:{Topology.SiloHttpPort}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, targets);
        Assert.All(Topology.Gateways, g => Assert.Equal($"service:{DemoPlan.GatewayService(g)}", ComposeFile.Scalar(_compose.Service(DemoPlan.AgentService(g)), "network_mode")));

        var check = new ProcessStartInfo(PrometheusTools.Promtool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "check", "config", config })
        {
            check.ArgumentList.Add(arg);
        }

        using var process = Process.Start(check)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"promtool check config: {stdout}{await stderr}");
    }

    [Fact]
    public void Grafana_GetsTheDatasourceAndBothDashboardsProvisioned()
    {
        var grafana = _compose.Service("grafana");
        var dashboards = (YamlMappingNode)((YamlSequenceNode)Load(Path.Join(Mounted(grafana, "/etc/grafana/provisioning/dashboards"), "stoker.yaml"))["providers"]).Children[0];
        var folder = ComposeFile.Scalar((YamlMappingNode)ComposeFile.Child(dashboards, "options")!, "path")!;
        foreach (var file in GrafanaDashboard.Files)
        {
            Assert.Equal(GrafanaDashboard.PathOf(file), Mounted(grafana, $"{folder}/{file}"));
        }

        var datasource = (YamlMappingNode)((YamlSequenceNode)Load(Path.Join(Mounted(grafana, "/etc/grafana/provisioning/datasources"), "prometheus.yaml"))["datasources"]).Children[0];
        Assert.Equal("prometheus", ComposeFile.Scalar(datasource, "type"));
        Assert.Equal("true", ComposeFile.Scalar(datasource, "isDefault"));
        var prometheusPort = ComposeFile.List(_compose.Service("prometheus"), "ports").Single().Split(':')[1];
        Assert.Equal($"http://prometheus:{prometheusPort}", ComposeFile.Scalar(datasource, "url"));
    }

    /// <summary>The repository file or folder a service mounts at <paramref name="target"/> (read-only), as a full path.</summary>
    private static string Mounted(YamlMappingNode service, string target)
    {
        var volume = ComposeFile.List(service, "volumes").Single(v => v.Split(':')[1] == target);
        Assert.EndsWith(":ro", volume, StringComparison.Ordinal);
        var source = volume.Split(':')[0];
        Assert.StartsWith("./", source, StringComparison.Ordinal);
        var path = Path.GetFullPath(Path.Join(Checkout.Root, source[2..]));
        Assert.True(File.Exists(path) || Directory.Exists(path), $"{source} (mounted at {target}) does not exist");
        return path;
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}

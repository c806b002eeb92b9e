using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;
using Stoker.Tests.Admission;
using Stoker.Tests.Demo;

namespace Stoker.Tests.Kubernetes;

/// <summary>
/// <c>k8s/monitoring</c> (built by <c>kubectl kustomize</c>) scrapes what the manifests really serve: the ServiceMonitor
/// selects exactly the one Service whose port it names, with the scheme that port speaks; the PodMonitor selects the
/// label and port the sidecar injector really sets (its expected patch in the admission fixtures); the dashboards'
/// ConfigMap is generated from <c>deploy/grafana/*.json</c>, byte for byte, for Grafana's sidecar.
/// </summary>
public sealed class MonitoringManifestTests
{
    private readonly ManifestSet _monitoring = ManifestSet.Build(ManifestSet.Monitoring);
    private readonly ManifestSet _controlPlane = ManifestSet.ControlPlane();

    [Fact]
    public void Kustomize_BuildsTheMonitorsAndTheDashboardsConfigMap()
    {
        Assert.Equal(
            ["ConfigMap stoker-system/stoker-grafana-dashboards", "PodMonitor stoker-system/stoker-agent", "ServiceMonitor stoker-system/stoker-silo"],
            _monitoring.Objects.Select(o => o.Id).Order(StringComparer.Ordinal));
        Assert.All(_monitoring.Objects.Where(o => o.Kind is "ServiceMonitor" or "PodMonitor"), o => Assert.Equal("monitoring.coreos.com/v1", o.ApiVersion));

        // Not in the base: without the Prometheus Operator's CRDs, applying the base would fail.
        Assert.DoesNotContain(ManifestSet.Build(ManifestSet.Base).Objects, o => o.Kind is "ServiceMonitor" or "PodMonitor");
    }

    [Fact]
    public void ServiceMonitor_SelectsOneSiloService_ByThePortItNames_OverPlainHttp()
    {
        var monitor = _monitoring.Get("ServiceMonitor", ManifestSet.SystemNamespace, "stoker-silo").Node;
        var selector = Labels(monitor["spec"]!["selector"]!["matchLabels"]);
        var services = _controlPlane.OfKind("Service")
            .Where(s => s.Namespace == ManifestSet.SystemNamespace && selector.All(l => Labels(s.Node["metadata"]!["labels"]).GetValueOrDefault(l.Key) == l.Value)).ToList();
        var service = Assert.Single(services);
        Assert.Equal("stoker-silo", service.Name);

        var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray())!;
        Assert.Equal("/metrics", (string?)endpoint["path"]);
        Assert.True((bool?)endpoint["honorLabels"], "honorLabels keeps the controller's namespace label (the GatewaySync's), not the silo's");
        var port = service.Node["spec"]!["ports"]!.AsArray().Single(p => (string?)p!["name"] == (string?)endpoint["port"])!;

        // The port the Service forwards to is the silo container's, which listens with plain HTTP (--urls http://…).
        var silo = _controlPlane.Workload("StatefulSet", ManifestSet.SystemNamespace, "stoker-silo");
        var container = silo.Container("silo");
        Assert.Contains(Workload.Ports(container), p => (string?)p["name"] == (string?)port["targetPort"]);
        Assert.Equal("http", (string?)endpoint["scheme"]);
        Assert.StartsWith("http://", Workload.Args(container)[Workload.Args(container).ToList().IndexOf("--urls") + 1], StringComparison.Ordinal);
        Assert.True(Labels(service.Node["spec"]!["selector"]).All(l => silo.PodLabels.GetValueOrDefault(l.Key) == l.Value));
    }

    [Fact]
    public void PodMonitor_SelectsTheLabelAndPortTheInjectorSets()
    {
        var monitor = _monitoring.Get("PodMonitor", ManifestSet.SystemNamespace, "stoker-agent").Node;
        Assert.True((bool?)monitor["spec"]!["namespaceSelector"]!["any"], "gateways live in their own namespaces");
        var selector = Labels(monitor["spec"]!["selector"]!["matchLabels"]);
        Assert.Equal(new Dictionary<string, string> { [Annotations.AgentLabel] = "true" }, selector);
        var endpoint = Assert.Single(monitor["spec"]!["podMetricsEndpoints"]!.AsArray())!;
        Assert.Equal("/metrics", (string?)endpoint["path"]);
        Assert.Equal("http", (string?)endpoint["scheme"]);

        // What the injector adds to a pod: the label, and the agent container with its ports.
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(AdmissionFixture.Folder, "Inject", "04-basic-injection.expected.json")))!;
        var patch = expected["patch"]!.AsArray().Select(op => op!.AsObject()).ToList();
        var labelPath = "/metadata/labels/" + Annotations.AgentLabel.Replace("/", "~1", StringComparison.Ordinal);
        Assert.Contains(patch, op => (string?)op["path"] == labelPath && (string?)op["value"] == "true");
        var agent = patch.Where(op => (string?)op["path"] == "/spec/initContainers").SelectMany(op => op["value"]!.AsArray()).Single(c => (string?)c!["name"] == "stoker-agent")!;
        var port = Assert.Single(agent["ports"]!.AsArray(), p => (string?)p!["name"] == (string?)endpoint["port"])!;
        Assert.Equal(Stoker.Silo.Admission.AgentEnvironment.MetricsPort, (int)port["containerPort"]!);
    }

    [Fact]
    public void DashboardsConfigMap_IsGeneratedFromTheDashboardFiles_ForGrafanasSidecar()
    {
        var configMap = _monitoring.Get("ConfigMap", ManifestSet.SystemNamespace, "stoker-grafana-dashboards").Node;
        Assert.Equal("1", Labels(configMap["metadata"]!["labels"]).GetValueOrDefault("grafana_dashboard"));
        var data = configMap["data"]!.AsObject();
        Assert.Equal(["stoker-detail.json", "stoker-fleet.json"], data.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var (file, content) in data)
        {
            Assert.Equal(File.ReadAllText(Checkout.Combine("deploy", "grafana", file)), (string?)content);
        }

        // Generated, not copied: no dashboard JSON lives under k8s/.
        Assert.Empty(Directory.EnumerateFiles(ManifestSet.K8sRoot, "*.json", SearchOption.AllDirectories));
    }

    private static Dictionary<string, string> Labels(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal);
}
